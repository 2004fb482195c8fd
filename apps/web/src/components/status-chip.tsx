export function StatusChip({
  firing,
  remaining,
  hasData,
}: {
  firing: boolean;
  remaining: number | null;
  hasData: boolean;
}) {
  const [cls, label] = firing
    ? ["chip bad", "firing"]
    : !hasData
      ? ["chip none", "no data"]
      : remaining !== null && remaining <= 0
        ? ["chip bad", "exhausted"]
        : remaining !== null && remaining < 0.25
          ? ["chip warn", "low budget"]
          : ["chip ok", "healthy"];
  return <span className={cls}>{label}</span>;
}
