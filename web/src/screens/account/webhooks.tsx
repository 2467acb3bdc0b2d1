import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type Me, type Webhook, type WebhookDelivery } from "../../api";
import { CheckField } from "../../components/check-field";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { ErrorAlert } from "../../components/error-alert";
import { FormActions, submitTo } from "../../components/form-actions";
import { Listed } from "../../components/list-table";
import { ScrollBox } from "../../components/scroll-box";
import { ShownOnce } from "../../components/shown-once";
import { TextField } from "../../components/text-field";
import { useAction } from "../../components/use-action";
import { isAdminRole } from "../../lib/access";
import { deliveryOutcome, eventsText, eventsToSend, WEBHOOK_EVENTS } from "../../lib/account";
import { whenText } from "../../lib/format";

/**
 * Webhooks: subscribe a URL to entry events (the signing secret shown once), and for each one
 * Active, Send ping, its delivery log, and Delete after a dialog.
 */
export function WebhooksPanel(props: { me: Me }): JSX.Element {
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [created, setCreated] = useState<{ webhook: Webhook; secret: string } | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const action = useAction();

  useEffect(() => void action.run(async () => setWebhooks(await api.webhooks())), []);

  const replaced = (webhook: Webhook) => setWebhooks((shown) => (shown ?? []).map((w) => (w.id === webhook.id ? webhook : w)));

  async function remove(webhook: Webhook): Promise<void> {
    await api.deleteWebhook(webhook.id);
    if (created?.webhook.id === webhook.id) setCreated(null);
    setWebhooks((shown) => (shown ?? []).filter((w) => w.id !== webhook.id));
    setDeleting(null);
  }

  return (
    <>
      <h2>Webhooks</h2>
      <p class="hint">
        The service sends a signed POST (Standard Webhooks) to each URL when your entries or timer change. A URL on a private network is
        refused unless the instance allows it.
      </p>
      <NewWebhookForm
        mayWatchEveryone={isAdminRole(props.me.role)}
        onCreated={(made) => {
          setCreated(made);
          setWebhooks((shown) => [...(shown ?? []), made.webhook]);
        }}
      />
      {created && (
        <ShownOnce
          id="new-webhook"
          heading={`New webhook: ${created.webhook.url}`}
          label="Signing secret"
          value={created.secret}
          copyLabel="Copy secret"
          onDone={() => setCreated(null)}
          hint="Copy it now: it will not be shown again. The receiver checks each request's webhook-signature header with it."
        />
      )}
      <ErrorAlert error={action.error} />
      <Listed rows={webhooks} empty="No webhooks.">
        {(shown) => (
          <ul class="webhooks">
            {shown.map((webhook) => (
              <li key={webhook.id}>
                <WebhookCard webhook={webhook} onChanged={replaced} onDelete={() => setDeleting(webhook)} />
              </li>
            ))}
          </ul>
        )}
      </Listed>
      {deleting && (
        <ConfirmDialog title="Delete this webhook?" confirmLabel="Delete webhook" onConfirm={() => remove(deleting)} onClose={() => setDeleting(null)}>
          <p>
            <span class="break">{deleting.url}</span> gets no more events, and its delivery log goes with it. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** URL, events (All, or some), description and, for admins, everyone's entries. */
function NewWebhookForm(props: { mayWatchEveryone: boolean; onCreated: (made: { webhook: Webhook; secret: string }) => void }): JSX.Element {
  const [url, setUrl] = useState("");
  const [all, setAll] = useState(true);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [description, setDescription] = useState("");
  const [everyone, setEveryone] = useState(false);
  const action = useAction();

  async function create(): Promise<void> {
    const events = eventsToSend(all, ticked);
    if (events.length === 0) {
      action.setError(new Error("Choose at least one event, or All events."));
      return;
    }
    const made = await action.run(async () =>
      props.onCreated(
        await api.createWebhook({
          url: url.trim(),
          events,
          ...(description.trim() ? { description: description.trim() } : {}),
          ...(props.mayWatchEveryone && everyone ? { all_users: true } : {}),
        }),
      ),
    );
    if (made) {
      setUrl("");
      setDescription("");
      setEveryone(false);
    }
  }

  function tick(event: string, checked: boolean): void {
    const next = new Set(ticked);
    if (checked) next.add(event);
    else next.delete(event);
    setTicked(next);
  }

  return (
    <form class="card" aria-label="New webhook" onSubmit={submitTo(create)}>
      <TextField
        id="webhook-url"
        label="URL"
        type="url"
        required
        maxLength={2000}
        placeholder="https://example.com/hooks/time"
        value={url}
        onValue={setUrl}
      />
      <fieldset class="events">
        <legend>Events</legend>
        <CheckField id="webhook-event-all" label="All events" checked={all} onChange={setAll} hint="Also the kinds of events added later." />
        {WEBHOOK_EVENTS.map((e) => (
          <CheckField
            key={e.event}
            id={`webhook-event-${e.event.replace(".", "-")}`}
            label={e.label}
            checked={all || ticked.has(e.event)}
            disabled={all}
            onChange={(checked) => tick(e.event, checked)}
          />
        ))}
      </fieldset>
      <TextField id="webhook-description" label="Description" maxLength={500} value={description} onValue={setDescription} />
      {props.mayWatchEveryone && (
        <CheckField
          id="webhook-all-users"
          label="Everyone's entries"
          checked={everyone}
          onChange={setEveryone}
          hint="As an admin, you may have the events of every user's entries sent, not only your own."
        />
      )}
      <ErrorAlert error={action.error} />
      <FormActions submitLabel="Create webhook" busy={action.busy} />
    </form>
  );
}

/** One webhook: what it gets, Active, Send ping, Delivery log, Delete. */
function WebhookCard(props: { webhook: Webhook; onChanged: (webhook: Webhook) => void; onDelete: () => void }): JSX.Element {
  const { webhook } = props;
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [showLog, setShowLog] = useState(false);
  const [note, setNote] = useState("");
  const action = useAction();
  const headingId = `webhook-${webhook.id}-heading`;
  const logId = `webhook-${webhook.id}-log`;

  // Shown at once when ticked, and put back if the service refuses the change.
  const [active, setActiveShown] = useState(webhook.active);
  useEffect(() => setActiveShown(webhook.active), [webhook.active]);

  const loadLog = () => action.run(async () => setDeliveries(await api.webhookDeliveries(webhook.id)));

  async function setActive(next: boolean): Promise<void> {
    setActiveShown(next);
    setNote("");
    const changed = await action.run(async () => props.onChanged(await api.updateWebhook(webhook.id, { active: next })));
    if (!changed) setActiveShown(webhook.active);
  }

  const ping = () =>
    action.run(async () => {
      await api.pingWebhook(webhook.id);
      setNote("Ping queued: its answer shows in the delivery log.");
      setShowLog(true);
      setDeliveries(await api.webhookDeliveries(webhook.id));
    });

  return (
    <section class="card webhook" aria-labelledby={headingId}>
      <h3 id={headingId} class="break">
        {webhook.url}
      </h3>
      <dl class="facts">
        <dt>Events</dt>
        <dd>{eventsText(webhook.events)}</dd>
        {webhook.description && (
          <>
            <dt>Description</dt>
            <dd>{webhook.description}</dd>
          </>
        )}
        <dt>Whose entries</dt>
        <dd>{webhook.all_users ? "Everyone's" : "Yours"}</dd>
        <dt>Created</dt>
        <dd>{whenText(webhook.created_at)}</dd>
      </dl>
      <CheckField
        id={`webhook-${webhook.id}-active`}
        label="Active"
        checked={active}
        onChange={(checked) => void setActive(checked)}
        hint={active ? "Events are sent." : "Paused: no events are sent."}
      />
      <div class="actions">
        <button type="button" class="secondary small" disabled={action.busy} onClick={() => void ping()}>
          Send ping
        </button>
        <button
          type="button"
          class="secondary small"
          aria-expanded={showLog}
          aria-controls={showLog ? logId : undefined}
          onClick={() => {
            if (!showLog) void loadLog();
            setShowLog(!showLog);
          }}
        >
          Delivery log
        </button>
        <button type="button" class="secondary small" onClick={props.onDelete}>
          Delete
        </button>
        <span role="status">{note}</span>
      </div>
      <ErrorAlert error={action.error} />
      {showLog && (
        <div id={logId} class="delivery-log">
          <Listed rows={deliveries} empty="Nothing sent yet.">
            {(sent) => (
              <ScrollBox label={`Delivery log of ${webhook.url}`}>
                <table>
                  <caption>Deliveries, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">Created</th>
                      <th scope="col">Delivered</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sent.map((delivery) => (
                      <tr key={delivery.event_id}>
                        <th scope="row">{delivery.type}</th>
                        <td class={delivery.status === "failed" ? "error" : undefined}>{deliveryOutcome(delivery)}</td>
                        <td>{whenText(delivery.created_at)}</td>
                        <td>{whenText(delivery.delivered_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollBox>
            )}
          </Listed>
          <button type="button" class="secondary small" disabled={action.busy} onClick={() => void loadLog()}>
            Refresh log
          </button>
        </div>
      )}
    </section>
  );
}
