// Lint: typescript-eslint's recommended rules plus LoRA Lab's dependency direction.
import tseslint from 'typescript-eslint';
import dependencyDirection from './lint/dependency-direction.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'resources/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs}'],
    plugins: { loralab: { rules: { 'dependency-direction': dependencyDirection } } },
    rules: {
      'loralab/dependency-direction': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine runs on webgpu too, which answers host reads only asynchronously
    // (tfjs-backend-webgpu's readSync needs an OffscreenCanvas): engine code reads with data() / array().
    files: ['src/main/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['dataSync', 'arraySync', 'bufferSync'].map((property) => ({
          property,
          message: 'the webgpu backend has no synchronous read; await data() or array() once per step or save instead',
        })),
      ],
    },
  },
);
