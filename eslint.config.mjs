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
);
