import { useEffect, useState } from 'react';
import type { ModelEntry } from '../../../shared/ipc/workbench-schemas';
import { client } from '../../api/client';

/** Bundled models and the model folders of recent runs (empty until known, or if the list fails). */
export function useModels(): ModelEntry[] {
  const [models, setModels] = useState<ModelEntry[]>([]);
  useEffect(() => {
    let current = true;
    client.request('models.list', {}).then(
      (list) => current && setModels(list),
      () => {},
    );
    return () => {
      current = false;
    };
  }, []);
  return models;
}
