import type { PreviewResponse, SloResponse } from "@burnrate/contracts";
import { useMemo, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { ApiError, useOverview, useSaveSlo, useService, useSlo, useSloPreview } from "../../api";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import "../forms/forms.css";
import { errorsFromApi } from "../forms/plain-errors";
import {
  EMPTY_FORM,
  SLO_LABELS,
  clearErrors,
  formFromSlo,
  previewBody,
  validate,
  type FieldErrors,
  type SloForm,
} from "./form";
import { PreviewPanel } from "./preview-panel";
import { SloFields } from "./slo-fields";
import { useDebounced } from "./use-debounced";
import { FormErrorSummary } from "../../components/form-error-summary";

/** The preview waits for typing to pause this long before it asks the API. */
const PREVIEW_DEBOUNCE_MS = 400;

/** Create (/slos/new) or edit (/slos/:id/edit) an SLO, with a live preview of the last 28 days. */
export function EditorPage() {
  const { id } = useParams();
  const existing = useSlo(id ?? "");
  if (!id) return <Editor key="new" existing={null} />;
  return (
    <QueryState query={existing} what="the SLO" page>
      {(slo) => <Editor key={id} existing={slo} />}
    </QueryState>
  );
}

function Editor({ existing }: { existing: SloResponse | null }) {
  const mode = existing ? "edit" : "create";
  const [params] = useSearchParams();
  const [form, setForm] = useState<SloForm>(
    existing ? formFromSlo(existing) : { ...EMPTY_FORM, service: params.get("service") ?? "" },
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const navigate = useNavigate();
  const save = useSaveSlo(existing?.id ?? null);
  const choices = useOverview({});
  const service = useService(form.service);
  const set = <K extends keyof SloForm>(k: K, v: SloForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => clearErrors(e, k));
  };
  const proposal = useDebounced(
    useMemo(() => previewBody(form), [form]),
    PREVIEW_DEBOUNCE_MS,
  );
  const preview = useSloPreview(proposal);
  // The last preview of valid settings stays on screen while a field is invalid or the API refuses them.
  const lastValid = useRef<PreviewResponse | undefined>(undefined);
  if (preview.data && !preview.isPlaceholderData && proposal !== null) lastValid.current = preview.data;
  // The API checks a ratio SLI's filters and says where a filter stops making sense: shown at the field.
  const previewErrors =
    preview.error instanceof ApiError && proposal !== null ? errorsFromApi(preview.error, SLO_LABELS) : {};
  const { form: previewRefusal, ...previewFieldErrors } = previewErrors;
  const shown = { ...previewFieldErrors, ...errors };

  function submit(e: FormEvent) {
    e.preventDefault();
    const v = validate(form, mode);
    if (!v.ok) {
      setErrors(v.errors);
      return;
    }
    save.mutateAsync(v.body).then(
      (saved) => void navigate(`/slos/${saved.id}`),
      (err: unknown) => setErrors(errorsFromApi(err, SLO_LABELS)),
    );
  }

  const errorCount = Object.keys(errors).filter((k) => k !== "form").length;
  return (
    <div className="page">
      <PageHeader
        title={existing ? `Edit ${existing.name}` : "New SLO"}
        description={
          <>
            The preview recomputes the last 28 days of traffic with these settings while you type. Nothing is
            saved until you press {existing ? "Save changes" : "Create SLO"}.
          </>
        }
      />
      <div className="editor">
        <form className="form" onSubmit={submit} noValidate aria-label="SLO settings">
          <SloFields
            form={form}
            set={set}
            errors={shown}
            editing={!!existing}
            services={choices.data?.services ?? []}
            endpoints={service.data?.endpoints ?? []}
          />
          <FormErrorSummary errorCount={errorCount} formError={errors.form} what="SLO" />
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              {save.isPending ? "Saving…" : existing ? "Save changes" : "Create SLO"}
            </button>
            <Link to={existing ? `/slos/${existing.id}` : "/"}>Cancel</Link>
          </div>
        </form>
        <PreviewPanel
          proposed={proposal !== null}
          data={proposal !== null && !preview.error ? (preview.data ?? lastValid.current) : lastValid.current}
          note={
            proposal === null || preview.error
              ? "A field is not valid: the preview shows the last valid settings."
              : preview.isPlaceholderData
                ? "Updating…"
                : null
          }
          refusal={Object.keys(previewFieldErrors).length > 0 ? null : (previewRefusal ?? null)}
          busy={preview.isFetching}
        />
      </div>
    </div>
  );
}
