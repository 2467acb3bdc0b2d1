import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, DEFAULT_CURRENCY, type Client, type Project, type ProjectChange, type ProjectFields } from "../../api";
import { CheckField } from "../../components/check-field";
import { Dialog } from "../../components/dialog";
import { ErrorAlert } from "../../components/error-alert";
import { FormActions, submitTo } from "../../components/form-actions";
import { ListTable } from "../../components/list-table";
import { RATE_REFUSED, RateField } from "../../components/money-field";
import { SelectField } from "../../components/select-field";
import { TextField } from "../../components/text-field";
import { useAction } from "../../components/use-action";
import { locale } from "../../lib/format";
import { centsToInput, formatRate, parseAmount } from "../../lib/money";
import { PALETTE } from "../../lib/palette";

/** Clients as a select's options, by id, archived ones marked. */
const clientOptions = (clients: readonly Client[]) =>
  clients.map((c) => ({ value: String(c.id), label: c.archived ? `${c.name} (archived)` : c.name }));

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" });

/** Projects: of one client or all, archived ones too when asked; New project and Edit in a form. */
export function ProjectsPanel(): JSX.Element {
  const [clients, setClients] = useState<Client[]>([]);
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [clientFilter, setClientFilter] = useState("");
  const [showArchived, setShowArchived] = useState(false);
  const [currency, setCurrency] = useState(DEFAULT_CURRENCY);
  const [editing, setEditing] = useState<Project | "new" | null>(null);
  const action = useAction();

  const reload = async () =>
    setProjects(await api.projects({ ...(clientFilter ? { client_id: Number(clientFilter) } : {}), include_archived: showArchived }));

  useEffect(() => {
    api.clients(true).then(setClients, action.setError);
    api.currency().then(setCurrency, action.setError);
  }, []);
  useEffect(() => void action.run(reload), [clientFilter, showArchived]);

  return (
    <>
      <div class="heading-row">
        <h2>Projects</h2>
        <button type="button" onClick={() => setEditing("new")}>
          New project
        </button>
      </div>
      <form class="filters card" aria-label="Which projects" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="projects-client"
          label="Only client"
          none="All clients"
          options={clientOptions(clients)}
          value={clientFilter}
          onChange={setClientFilter}
        />
        <CheckField id="projects-archived" label="Show archived" checked={showArchived} onChange={setShowArchived} />
      </form>
      <ErrorAlert error={action.error} />
      <ListTable
        rows={projects}
        empty="No projects here yet."
        caption="Projects"
        wide
        columns={[{ label: "Project" }, { label: "Client" }, { label: "Billable" }, { label: "Hourly rate", num: true }, { label: "Status" }]}
        row={(project) => (
          <tr key={project.id}>
            <th scope="row">
              {project.color && <span class="swatch" style={{ "--swatch": project.color }} aria-hidden="true" />}
              {project.name}
            </th>
            <td>{project.client ?? "—"}</td>
            <td>{project.billable ? "Yes" : "No"}</td>
            <td class="num">{formatRate(project.hourly_rate_cents, currency, locale())}</td>
            <td>{project.archived ? "Archived" : "Active"}</td>
            <td class="row-actions">
              <button type="button" class="secondary small" onClick={() => setEditing(project)}>
                Edit
              </button>
            </td>
          </tr>
        )}
      />
      {editing !== null && (
        <ProjectForm
          project={editing === "new" ? null : editing}
          clients={clients}
          currency={currency}
          colour={PALETTE[(projects?.length ?? 0) % PALETTE.length] as string}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void action.run(reload);
          }}
        />
      )}
    </>
  );
}

/** What an edit changes: the fields that differ from the project's. */
function projectChange(project: Project, fields: ProjectFields, archived: boolean): ProjectChange {
  const change: Record<string, unknown> = {};
  for (const key of ["name", "client_id", "color", "billable", "hourly_rate_cents"] as const) {
    if (fields[key] !== project[key]) change[key] = fields[key];
  }
  if (archived !== project.archived) change.archived = archived;
  return change as ProjectChange;
}

/** New project or Edit: Name, Client, Colour, Billable by default, Hourly rate (as money) and, for an edit, Archived. */
function ProjectForm(props: {
  project: Project | null;
  clients: readonly Client[];
  currency: string;
  /** A new project's suggested colour. */
  colour: string;
  onSaved: (project: Project) => void;
  onClose: () => void;
}): JSX.Element {
  const { project } = props;
  const [name, setName] = useState(project?.name ?? "");
  const [clientId, setClientId] = useState(project?.client_id == null ? "" : String(project.client_id));
  const [noColour, setNoColour] = useState(project ? project.color === null : false);
  const [colour, setColour] = useState(project?.color ?? props.colour);
  const [billable, setBillable] = useState(project?.billable ?? true);
  const [rate, setRate] = useState(centsToInput(project?.hourly_rate_cents, locale()));
  const [archived, setArchived] = useState(project?.archived ?? false);
  const action = useAction();
  // The clients to choose from: the active ones, and the project's own even when archived.
  const choosable = props.clients.filter((c) => !c.archived || c.id === project?.client_id).sort(byName);

  async function save(): Promise<void> {
    const amount = parseAmount(rate);
    if (!amount.ok) {
      action.setError(new Error(RATE_REFUSED));
      return;
    }
    const fields: ProjectFields = {
      name: name.trim(),
      client_id: clientId === "" ? null : Number(clientId),
      color: noColour ? null : colour.toLowerCase(),
      billable,
      hourly_rate_cents: amount.cents,
    };
    if (!project) {
      await action.run(async () => props.onSaved(await api.createProject(fields)));
      return;
    }
    const change = projectChange(project, fields, archived);
    if (Object.keys(change).length === 0) return props.onClose();
    await action.run(async () => props.onSaved(await api.updateProject(project.id, change)));
  }

  return (
    <Dialog title={project ? `Edit ${project.name}` : "New project"} onClose={props.onClose}>
      <form onSubmit={submitTo(save)}>
        <TextField id="project-name" label="Name" required maxLength={100} value={name} onValue={setName} />
        <SelectField
          id="project-client"
          label="Client"
          none="No client"
          options={clientOptions(choosable)}
          value={clientId}
          onChange={setClientId}
        />
        <div class="field-row">
          <TextField id="project-colour" label="Colour" type="color" value={colour} disabled={noColour} onValue={setColour} />
          <CheckField id="project-no-colour" label="No colour" checked={noColour} onChange={setNoColour} />
        </div>
        <CheckField
          id="project-billable"
          label="Billable by default"
          checked={billable}
          onChange={setBillable}
          hint="New entries on the project start as billable or not; each entry can say otherwise."
        />
        <RateField
          id="project-rate"
          currency={props.currency}
          value={rate}
          onInput={setRate}
          hint="none (entries then take their user's rate). Entries keep the rate they were booked with."
        />
        {project && (
          <CheckField
            id="project-archived"
            label="Archived"
            checked={archived}
            onChange={setArchived}
            hint="An archived project stays on its entries but cannot be chosen for new time."
          />
        )}
        <ErrorAlert error={action.error} />
        <FormActions submitLabel="Save" busy={action.busy} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}

