import { useEffect, useState } from 'react';
import { client } from '../../api/client';

/** Run names by id, read once, for labelling links to other runs. */
export function useRunNames(): ReadonlyMap<number, string> {
  const [names, setNames] = useState<ReadonlyMap<number, string>>(new Map());
  useEffect(() => {
    let live = true;
    client.request('runs.list', {}).then(
      (runs) => live && setNames(new Map(runs.map((r) => [r.id, r.name]))),
      () => undefined, // the links still work with ids alone
    );
    return () => {
      live = false;
    };
  }, []);
  return names;
}
