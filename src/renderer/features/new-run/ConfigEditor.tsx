import { useEffect, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import { errorMessage } from '../../lib/errors';
import type { ConfigProblem } from './config-text';
import type { Monaco, MonacoEditorNs } from './monaco-setup';

const OWNER = 'loralab-config';

// Monaco and monaco-yaml (about 4 MB of script) are a chunk of their own
// (scripts/build.mjs splits the renderer bundle), fetched the first time an editor
// mounts, so the other pages never load them. One load per page, shared by every mount.
let monacoModule: Promise<typeof import('./monaco-setup')> | null = null;
const loadMonaco = () => (monacoModule ??= import('./monaco-setup'));

/**
 * The run config in Monaco. monaco-yaml marks what the JSON Schema rejects and
 * offers completion and hover help; `problems` (the real zod schema's verdict,
 * cross-field checks included) are set as markers of their own.
 */
export function ConfigEditor({ value, onChange, problems }: { value: string; onChange: (text: string) => void; problems: ConfigProblem[] }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoEditorNs.IStandaloneCodeEditor | null>(null);
  const [monaco, setMonaco] = useState<Monaco | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const onChangeRef = useRef(onChange);
  const valueRef = useRef(value);
  useEffect(() => {
    onChangeRef.current = onChange;
    valueRef.current = value;
  }, [onChange, value]);

  useEffect(() => {
    let unmounted = false;
    let dispose = () => {};
    loadMonaco().then(
      ({ setupMonaco, CONFIG_MODEL_URI }) => {
        if (unmounted || !host.current) return;
        const m = setupMonaco();
        dispose = createEditor(m, CONFIG_MODEL_URI, host.current);
        setMonaco(m);
      },
      (err: unknown) => {
        // A chunk that could not be fetched (the server went away) is not retried by the
        // browser's module map: only a reload of the page fetches it again.
        monacoModule = null;
        if (!unmounted) setLoadError(errorMessage(err));
      },
    );
    return () => {
      unmounted = true;
      dispose();
    };

    /** The editor on the text of the moment; returns what undoes it. */
    function createEditor(m: Monaco, modelUri: string, element: HTMLDivElement): () => void {
      const uri = m.Uri.parse(modelUri);
      m.editor.getModel(uri)?.dispose();
      const model = m.editor.createModel(valueRef.current, 'yaml', uri);
      const dark = window.matchMedia('(prefers-color-scheme: dark)');
      const editor = m.editor.create(element, {
        model,
        theme: dark.matches ? 'vs-dark' : 'vs',
        automaticLayout: true,
        minimap: { enabled: false },
        fontSize: 13,
        lineNumbersMinChars: 3,
        scrollBeyondLastLine: false,
        tabSize: 2,
        insertSpaces: true,
        wordWrap: 'on',
        fixedOverflowWidgets: true,
        quickSuggestions: { other: true, comments: false, strings: true },
        ariaLabel: 'Run config (YAML or JSON). Ctrl+M makes Tab move the focus.',
      });
      editorRef.current = editor;
      const sub = model.onDidChangeContent(() => onChangeRef.current(model.getValue()));
      // How many markers each checker has set, on the element: what a person sees as
      // squiggles, readable by the e2e test ("yaml" is monaco-yaml's JSON Schema check).
      const markers = m.editor.onDidChangeMarkers(() => {
        const all = m.editor.getModelMarkers({ resource: uri });
        element.setAttribute('data-schema-markers', String(all.filter((x) => x.owner === 'yaml').length));
        element.setAttribute('data-config-markers', String(all.filter((x) => x.owner === OWNER).length));
      });
      const theme = () => m.editor.setTheme(dark.matches ? 'vs-dark' : 'vs');
      dark.addEventListener('change', theme);
      return () => {
        dark.removeEventListener('change', theme);
        sub.dispose();
        markers.dispose();
        editor.dispose();
        model.dispose();
        editorRef.current = null;
      };
    }
    // Created once; later values arrive through the effect below.
  }, []);

  // A change from the form (or a loaded config): replace the text as one undoable edit.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model && model.getValue() !== value) {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
    }
  }, [value, monaco]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!monaco || !model) return;
    monaco.editor.setModelMarkers(
      model,
      OWNER,
      problems.map((p) => ({
        severity: monaco.MarkerSeverity.Error,
        message: p.path ? `${p.path}: ${p.message}` : p.message,
        source: p.source === 'syntax' ? 'YAML' : 'run config',
        startLineNumber: p.line,
        startColumn: p.column,
        endLineNumber: p.endLine,
        endColumn: p.endColumn,
      })),
    );
  }, [problems, monaco]);

  return (
    <>
      {/* Monaco owns this element's children; the CSS shows "Loading the editor…" while it is busy. */}
      <div ref={host} className="config-editor" data-testid="config-editor" aria-busy={!monaco && !loadError} />
      {loadError && (
        <ErrorMessage testId="config-editor-error">
          The config editor could not be loaded ({loadError}). Reload the page to try again; the form still edits the config.
        </ErrorMessage>
      )}
    </>
  );
}
