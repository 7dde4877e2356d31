// Full fine-tuning: every weight of the model becomes a variable (the same
// trainer, so LoRA's savings can be measured against it). The result is a whole
// Hugging Face model folder; there is no adapter to load or merge.
import { methodInfo } from '../../../../shared/config/methods';
import { saveModelFolder } from '../../models/save-model';
import { variableFrom } from '../../train/variables';
import { MethodError, type AdapterMethod } from '../method';

const info = methodInfo('full');

export const fullMethod: AdapterMethod = {
  info,
  checkConfig: (config) => info.check(config),
  createTrainable({ tf, loaded, initFrom }) {
    // checkConfig refuses init_from for full before a run is recorded; this guards direct callers.
    if (initFrom) throw new MethodError('init_from continues an adapter; for method full, point model at the earlier model folder instead');
    const params = loaded.model.slots().map((slot) => {
      const variable = variableFrom(tf, slot.get(), slot.name);
      slot.set(variable);
      return { name: slot.name, variable };
    });
    return {
      params,
      result: 'model',
      setTraining: () => undefined,
      setDropoutSeeds: () => undefined,
      save: (dir) => saveModelFolder(dir, loaded.model, loaded.dir),
      // The variables are the model's weights now; they go when the model is disposed.
      dispose: () => undefined,
    };
  },
};
