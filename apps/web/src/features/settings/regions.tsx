import { PatchRegionBody } from "@burnrate/contracts";
import type { z } from "zod";
import type { FormEvent } from "react";
import { usePatchRegion, useRegions } from "../../api";
import { QueryState } from "../../components/query-state";
import { CheckField, FormError, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";

type Region = { slug: string; name: string; production: boolean };

/** Regions appear with traffic; org admins name them and say which are production (the release gate's). */
export function Regions() {
  const regions = useRegions();
  return (
    <section aria-label="Regions">
      <h2>Regions</h2>
      <p className="muted">
        A region appears when its first requests arrive. Production regions are the ones a release freeze
        covers.
      </p>
      <QueryState query={regions} what="regions">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No region yet: regions come from the request logs.</p>
          ) : (
            <div className="region-forms">
              {list.map((r) => (
                <RegionForm key={`${r.slug}-${r.name}-${r.production}`} region={r} />
              ))}
            </div>
          )
        }
      </QueryState>
    </section>
  );
}

function RegionForm({ region }: { region: Region }) {
  const form = useForm({ name: region.name, production: region.production }, { name: "Name" });
  const patch = usePatchRegion();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const body: z.input<typeof PatchRegionBody> = {
      name: form.values.name.trim(),
      production: form.values.production,
    };
    await form.submit(PatchRegionBody, body, (b) => patch.mutateAsync({ slug: region.slug, body: b }));
  }
  return (
    <form
      className="form card-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-label={`Region ${region.slug}`}
    >
      <h3>
        <code>{region.slug}</code>
      </h3>
      <TextField form={form} name="name" id={`region-${region.slug}-name`} label="Name" />
      <CheckField form={form} name="production" id={`region-${region.slug}-prod`} label="Production" />
      <FormError errors={form.errors} />
      <div className="actions">
        <button type="submit" disabled={form.busy}>
          Save region
        </button>
        {patch.isSuccess && !form.busy && <span role="status">Saved.</span>}
      </div>
    </form>
  );
}
