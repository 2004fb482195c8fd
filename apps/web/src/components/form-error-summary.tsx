/**
 * Above a form's submit button: how many fields still need fixing, and what the API refused that names no
 * field ("The API refused the SLO: …").
 */
export function FormErrorSummary({
  errorCount,
  formError,
  what,
}: {
  errorCount: number;
  formError: string | undefined;
  what: string;
}) {
  return (
    <>
      {errorCount > 0 && (
        <div className="error-box" role="alert">
          Fix the {errorCount === 1 ? "field" : `${errorCount} fields`} marked above.
        </div>
      )}
      {formError && (
        <div className="error-box" role="alert">
          The API refused the {what}: {formError}
        </div>
      )}
    </>
  );
}
