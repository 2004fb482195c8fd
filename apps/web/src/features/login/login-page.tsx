import type { FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useAuthProviders, useSignIn } from "../../api";
import { ErrorText } from "../../components/error-text";

export function LoginPage() {
  const [params] = useSearchParams();
  const signIn = useSignIn();
  const providers = useAuthProviders();
  const next = params.get("next") ?? "/";
  const oidc = providers.data?.oidc ?? null;
  // Until the API has said otherwise, passwords are offered (the answer takes one round trip).
  const password = providers.data?.password ?? true;
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    // Awaited here, not in mutate's callbacks: signing in re-renders the shell, which leaves this page.
    signIn.mutateAsync({ email: String(form.get("email")), password: String(form.get("password")) }).then(
      () => window.location.assign(next),
      () => {}, // shown from signIn.error
    );
  }
  return (
    <div className="login">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>
          <span className="dot" /> Burnrate
        </h1>
        {oidc && (
          <a className="button sso" href={`${oidc.loginUrl}?next=${encodeURIComponent(next)}`}>
            Sign in with {oidc.name}
          </a>
        )}
        {oidc && password && (
          <p className="login-or" aria-hidden="true">
            <span>or with your password</span>
          </p>
        )}
        {password && (
          <>
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
          </>
        )}
      </form>
    </div>
  );
}
