import { useState } from 'react';
import type { InspectReportData } from '../../../shared/ipc/workbench-schemas';
import { formatInteger } from '../../lib/format';

const FIRST = 50;

/** The adapted modules, as PEFT names them, with their shapes and parameter counts. */
export function ModuleTable({ modules }: { modules: InspectReportData['modules'] }) {
  const [all, setAll] = useState(false);
  const shown = all ? modules : modules.slice(0, FIRST);
  return (
    <div className="table-scroll">
      <table className="table" data-testid="module-table">
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              In × out
            </th>
            <th scope="col" className="num">
              Rank
            </th>
            <th scope="col" className="num">
              Parameters
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((m) => (
            <tr key={m.module}>
              <td className="mono-small">{m.module}</td>
              <td>{m.kind}</td>
              <td className="num nowrap">
                {m.in} × {m.out}
              </td>
              <td className="num">{m.rank}</td>
              <td className="num">{formatInteger(m.params)}</td>
            </tr>
          ))}
          {modules.length === 0 && (
            <tr className="empty-row">
              <td colSpan={5}>No module matches these targets.</td>
            </tr>
          )}
        </tbody>
      </table>
      {modules.length > FIRST && (
        <button type="button" className="button link-button" onClick={() => setAll((a) => !a)}>
          {all ? `Show the first ${FIRST}` : `Show all ${modules.length} modules`}
        </button>
      )}
    </div>
  );
}
