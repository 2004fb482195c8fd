import type { FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useSignIn } from "../../api";
import { ErrorText } from "../../components/error-text";

export function LoginPage() {
  const [params] = useSearchParams();
  const signIn = useSignIn();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    // Awaited here, not in mutate's callbacks: signing in re-renders the shell, which leaves this page.
    signIn.mutateAsync({ email: String(form.get("email")), password: String(form.get("password")) }).then(
      () => window.location.assign(params.get("next") ?? "/"),
      () => {}, // shown from signIn.error
    );
  }
  return (
    <div className="login">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>
          <span className="dot" /> Burnrate
        </h1>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <ErrorText error={signIn.error} />
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
