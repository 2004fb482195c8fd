import { errorMessage } from "../api";

/**
 * A failed action's message next to the form or button that started it: the API's own sentence (a 400's names
 * the field), or the form's own check. Nothing when there is no error.
 */
export function ErrorText({ error, inline = false }: { error: unknown; inline?: boolean }) {
  if (error === null || error === undefined || error === "") return null;
  const text = typeof error === "string" ? error : errorMessage(error);
  return inline ? (
    <span role="alert" className="error">
      {text}
    </span>
  ) : (
    <p role="alert" className="error">
      {text}
    </p>
  );
}
