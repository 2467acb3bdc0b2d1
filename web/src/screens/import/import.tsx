import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ImportRefused } from "../../api";
import { CheckField } from "../../components/check-field";
import { ErrorAlert } from "../../components/error-alert";
import { navigate } from "../../components/nav";
import { SelectField } from "../../components/select-field";
import { timeZone } from "../../lib/format";
import {
  createdNames,
  DEFAULT_IMPORT_CATEGORY,
  fileProblem,
  formatName,
  IMPORT_FORMATS,
  reportSummary,
  rowMessages,
  timeZoneChoices,
  unlistedNotes,
  type ImportFormat,
  type ImportParams,
  type ImportReport,
} from "../../lib/import";

/** The browser's IANA zones, where it can list them. */
function supportedZones(): string[] {
  return typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
}

/** A report's numbers, what it makes that was not there, and its rows' errors and warnings. */
function ReportDetails(props: { report: ImportReport }): JSX.Element {
  const { report } = props;
  const dry = report.dry_run;
  const messages = rowMessages(report);
  const created = createdNames(report);
  return (
    <>
      <dl class="import-counts">
        <div>
          <dt>Format</dt>
          <dd>{formatName(report.format)}</dd>
        </div>
        <div>
          <dt>Rows</dt>
          <dd>{report.rows}</dd>
        </div>
        <div>
          <dt>{dry ? "To create" : "Created"}</dt>
          <dd>{report.created}</dd>
        </div>
        <div>
          <dt>Duplicates</dt>
          <dd>{report.duplicates}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{report.failed}</dd>
        </div>
      </dl>
      {created.length > 0 && (
        <>
          <h3>{dry ? "Would also create" : "Also created"}</h3>
          <ul class="import-created">
            {created.map(([kind, names]) => (
              <li key={kind}>
                <strong>{kind}:</strong> {names.join(", ")}
              </li>
            ))}
          </ul>
        </>
      )}
      {messages.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>Rows with errors or warnings</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  Row
                </th>
                <th scope="col">Kind</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m, i) => (
                <tr key={`${m.kind}-${m.row}-${i}`}>
                  <td class="num">{m.row}</td>
                  <td class={m.kind === "Error" ? "error" : "over"}>{m.kind}</td>
                  <td>{m.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {unlistedNotes(report).map((note) => (
        <p key={note} class="muted">
          {note}
        </p>
      ))}
    </>
  );
}

/**
 * Import: a CSV file (this service's export, Toggl, Clockify, the seed app's template) checked by a
 * dry run as soon as it is chosen, and again whenever a parameter changes; Import stores it.
 */
export function ImportScreen(): JSX.Element {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat | "">("");
  const [tz, setTz] = useState(timeZone);
  const [categoryDraft, setCategoryDraft] = useState(DEFAULT_IMPORT_CATEGORY);
  const [category, setCategory] = useState(DEFAULT_IMPORT_CATEGORY);
  const [atomic, setAtomic] = useState(false);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<{ name: string; report: ImportReport } | null>(null);
  const [checking, setChecking] = useState(false);
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const zones = useMemo(() => timeZoneChoices(supportedZones(), timeZone()), []);
  const params: ImportParams = { format: format || "auto", tz, category, atomic };

  useEffect(() => {
    document.title = "Import — Time Tracker";
  }, []);

  // The dry run of the chosen file with the parameters as they are now; a newer one supersedes it.
  useEffect(() => {
    setPreview(null);
    if (!file) return;
    let current = true;
    setResult(null);
    setError(null);
    setChecking(true);
    api
      .importCsv(file, params, true)
      .then(
        (report) => current && setPreview(report),
        (e: unknown) => {
          if (!current) return;
          setError(e);
          // All or nothing with a failing row: the refusal carries the report, which shows why.
          if (e instanceof ImportRefused) setPreview(e.report);
        },
      )
      .finally(() => current && setChecking(false));
    return () => {
      current = false;
    };
  }, [file, format, tz, category, atomic]);

  function choose(chosen: File | null): void {
    const problem = chosen ? fileProblem(chosen) : null;
    setResult(null);
    if (problem) {
      // Refused here, before a byte is sent.
      setFile(null);
      setError(new Error(problem));
      if (fileInput.current) fileInput.current.value = "";
      return;
    }
    setError(null);
    setFile(chosen);
  }

  async function runImport(): Promise<void> {
    if (!file) return;
    setImporting(true);
    setError(null);
    try {
      const report = await api.importCsv(file, params, false);
      setResult({ name: file.name, report });
      // Done with this file: choosing it (or another) again starts over with a new dry run.
      setFile(null);
      if (fileInput.current) fileInput.current.value = "";
    } catch (e) {
      setError(e);
      if (e instanceof ImportRefused) setPreview(e.report);
    } finally {
      setImporting(false);
    }
  }

  const blocked = preview !== null && atomic && preview.failed > 0;
  const nothing = preview !== null && preview.rows === 0;

  return (
    <section aria-labelledby="import-heading" class="screen">
      <h1 id="import-heading">Import</h1>
      <form
        class="card import-form"
        aria-label="File to import"
        onSubmit={(e) => {
          e.preventDefault();
          setCategory(categoryDraft);
        }}
      >
        <div class="field">
          <label for="import-file">CSV file</label>
          <input
            ref={fileInput}
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="import-file-hint"
            onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)}
          />
          <span id="import-file-hint" class="hint">
            This service's CSV export, a detailed export from Toggl Track or Clockify, or the seed app's template; up to 20 MB. Choosing a
            file shows what it would import; nothing is stored until you press Import.
          </span>
        </div>
        <div class="field-row">
          <SelectField
            id="import-format"
            label="Format"
            none="Automatic (from the header row)"
            value={format}
            onChange={(value) => setFormat(value as ImportFormat | "")}
            options={IMPORT_FORMATS}
          />
          <div class="field">
            <label for="import-tz">Time zone of the file's times</label>
            <select id="import-tz" value={tz} onChange={(e) => setTz(e.currentTarget.value)}>
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          </div>
          <div class="field grow">
            <label for="import-category">Category for Toggl and Clockify rows</label>
            <input
              id="import-category"
              value={categoryDraft}
              maxLength={1000}
              onInput={(e) => setCategoryDraft(e.currentTarget.value)}
              onChange={(e) => setCategory(e.currentTarget.value)}
            />
          </div>
        </div>
        <CheckField
          id="import-atomic"
          label="All or nothing"
          checked={atomic}
          onChange={setAtomic}
          hint="If any row fails, no row is imported."
        />
      </form>
      <ErrorAlert error={error} />
      {checking && file && (
        <p class="muted" role="status">
          Checking {file.name}…
        </p>
      )}
      {preview && file && !checking && (
        <section class="card import-report" aria-labelledby="import-preview-heading">
          <h2 id="import-preview-heading">Preview of {file.name}</h2>
          <p class="import-summary" role="status">
            {reportSummary(preview)}
          </p>
          <ReportDetails report={preview} />
          <div class="actions">
            <button type="button" disabled={importing || blocked || nothing} aria-describedby={blocked ? "import-blocked" : undefined} onClick={() => void runImport()}>
              Import
            </button>
          </div>
          {blocked && (
            <p id="import-blocked" class="hint">
              All or nothing is ticked and a row fails, so nothing would be imported. Fix the file, or untick All or nothing to import the
              other rows.
            </p>
          )}
        </section>
      )}
      {result && (
        <section class="card import-report" aria-labelledby="import-result-heading">
          <h2 id="import-result-heading">Imported {result.name}</h2>
          <p class="import-summary" role="status">
            {reportSummary(result.report)}
          </p>
          <ReportDetails report={result.report} />
          <p>
            <a
              href="/entries"
              onClick={(event) => {
                if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                navigate("/entries");
              }}
            >
              See them in Entries
            </a>{" "}
            <span class="muted">or choose another file to import.</span>
          </p>
        </section>
      )}
    </section>
  );
}
