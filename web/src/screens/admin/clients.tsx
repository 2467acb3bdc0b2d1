import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, type Client } from "../../api";
import { CheckField } from "../../components/check-field";
import { ErrorAlert } from "../../components/error-alert";
import { ListTable } from "../../components/list-table";
import { NameForm } from "../../components/name-form";
import { RenameDialog } from "../../components/rename-dialog";
import { useAction } from "../../components/use-action";

/** Clients: create one, list them (archived ones too when asked), rename, archive and unarchive. */
export function ClientsPanel(): JSX.Element {
  const [clients, setClients] = useState<Client[] | null>(null);
  const [showArchived, setShowArchived] = useState(false);
  const [renaming, setRenaming] = useState<Client | null>(null);
  const action = useAction();

  const reload = async () => setClients(await api.clients(showArchived));

  useEffect(() => void action.run(reload), [showArchived]);

  const setArchived = (client: Client, archived: boolean) =>
    action.run(async () => {
      await api.updateClient(client.id, { archived });
      await reload();
    });

  return (
    <>
      <h2>Clients</h2>
      <div class="card">
        <NameForm
          id="new-client-name"
          label="Client name"
          submitLabel="Create client"
          inline
          onSubmit={async (name) => {
            await api.createClient(name);
            await reload();
          }}
        />
      </div>
      <CheckField
        id="clients-archived"
        label="Show archived"
        checked={showArchived}
        onChange={setShowArchived}
        hint="An archived client's projects cannot be chosen for new time; its entries keep them."
      />
      <ErrorAlert error={action.error} />
      <ListTable
        rows={clients}
        empty={showArchived ? "No clients yet." : "No active clients."}
        caption="Clients"
        columns={[{ label: "Client" }, { label: "Status" }]}
        row={(client) => (
          <tr key={client.id}>
            <th scope="row">{client.name}</th>
            <td>{client.archived ? "Archived" : "Active"}</td>
            <td class="row-actions">
              <button type="button" class="secondary small" onClick={() => setRenaming(client)}>
                Rename
              </button>
              <button type="button" class="secondary small" disabled={action.busy} onClick={() => void setArchived(client, !client.archived)}>
                {client.archived ? "Unarchive" : "Archive"}
              </button>
            </td>
          </tr>
        )}
      />
      {renaming && (
        <RenameDialog
          id="rename-client-name"
          label="Client name"
          name={renaming.name}
          onClose={() => setRenaming(null)}
          onRename={async (name) => {
            await api.updateClient(renaming.id, { name });
            setRenaming(null);
            await reload();
          }}
        />
      )}
    </>
  );
}
