export function RunConfig({ config }: { config: Readonly<Record<string, unknown>> }) {
  return (
    <section className="card">
      <h2>Config</h2>
      <pre className="config" data-testid="run-config">
        {JSON.stringify(config, null, 2)}
      </pre>
    </section>
  );
}
