import { CreateEndpointBody, parseEndpoint, type ServiceResponse } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { useAddEndpoint, useRemoveEndpoint } from "../../api";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import { FormFooter, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";

/** A service's endpoints (from its logs, or added by hand): add one as 'METHOD /route', remove one. */
export function Endpoints({ service }: { service: ServiceResponse }) {
  const add = useAddEndpoint();
  const remove = useRemoveEndpoint();
  const form = useForm({ endpoint: "" }, { endpoint: "Endpoint" });
  async function submit(e: FormEvent) {
    e.preventDefault();
    const endpoint = form.values.endpoint.trim();
    // the form says what is wrong before the API does: a method it knows, then a route starting with '/'
    if (endpoint && !parseEndpoint(endpoint)) {
      form.setErrors({
        endpoint: "Endpoint must be a method and a route, such as 'GET /cart' or 'POST /orders/{id}'",
      });
      return;
    }
    const ok = await form.submit(CreateEndpointBody, { endpoint }, (b) =>
      add.mutateAsync({ service: service.slug, endpoint: b.endpoint }),
    );
    if (ok) form.set("endpoint", "");
  }
  return (
    <div>
      <h3>Endpoints of {service.slug}</h3>
      {service.endpoints.length === 0 ? (
        <p className="muted">No endpoint yet: they appear with the first request logs, or add one below.</p>
      ) : (
        <DataTable
          label="Endpoints"
          rows={service.endpoints}
          rowKey={(x) => x.id}
          columns={[
            { header: "Method", cell: (x) => x.method },
            { header: "Route", cell: (x) => <code>{x.route}</code> },
            {
              cell: (x) => (
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Remove ${x.method} ${x.route}`}
                  onClick={() => remove.mutate(x.id)}
                >
                  Remove
                </button>
              ),
            },
          ]}
        />
      )}
      <ErrorText error={remove.error} />
      <form className="form card-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Add endpoint">
        <TextField
          form={form}
          name="endpoint"
          id="endpoint-new"
          label="Endpoint"
          placeholder="GET /user/{id}"
          hint="METHOD /route, with {param} for a path parameter"
        />
        <FormFooter form={form}>Add endpoint</FormFooter>
      </form>
    </div>
  );
}
