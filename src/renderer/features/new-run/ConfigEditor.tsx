import { useEffect, useRef } from 'react';
import type { ConfigProblem } from './config-text';
import { CONFIG_MODEL_URI, setupMonaco, type MonacoEditorNs } from './monaco-setup';

const OWNER = 'loralab-config';

/**
 * The run config in Monaco. monaco-yaml marks what the JSON Schema rejects and
 * offers completion and hover help; `problems` (the real zod schema's verdict,
 * cross-field checks included) are set as markers of their own.
 */
export function ConfigEditor({ value, onChange, problems }: { value: string; onChange: (text: string) => void; problems: ConfigProblem[] }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoEditorNs.IStandaloneCodeEditor | null>(null);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const monaco = setupMonaco();
    const uri = monaco.Uri.parse(CONFIG_MODEL_URI);
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(value, 'yaml', uri);
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const editor = monaco.editor.create(host.current!, {
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
    const markers = monaco.editor.onDidChangeMarkers(() => {
      const all = monaco.editor.getModelMarkers({ resource: uri });
      host.current?.setAttribute('data-schema-markers', String(all.filter((m) => m.owner === 'yaml').length));
      host.current?.setAttribute('data-config-markers', String(all.filter((m) => m.owner === OWNER).length));
    });
    const theme = () => monaco.editor.setTheme(dark.matches ? 'vs-dark' : 'vs');
    dark.addEventListener('change', theme);
    return () => {
      dark.removeEventListener('change', theme);
      sub.dispose();
      markers.dispose();
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
    // Created once; later values arrive through the effect below.
  }, []);

  // A change from the form (or a loaded config): replace the text as one undoable edit.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model && model.getValue() !== value) {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
    }
  }, [value]);

  useEffect(() => {
    const monaco = setupMonaco();
    const model = editorRef.current?.getModel();
    if (!model) return;
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
  }, [problems]);

  return <div ref={host} className="config-editor" data-testid="config-editor" />;
}
