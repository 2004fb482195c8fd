import { useUrlState } from "./url-state";

/** "include default SLOs", kept in the URL as `?defaults=1`. */
export function DefaultsToggle() {
  const { get, set } = useUrlState();
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={get("defaults") === "1"}
        onChange={(e) => set({ defaults: e.target.checked ? "1" : null })}
      />
      include default SLOs
    </label>
  );
}
