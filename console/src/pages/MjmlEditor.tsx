// The MJML source in a code editor (CodeMirror 6, bundled): line numbers, XML highlighting, and the
// server's MJML problems as markers in the gutter and underlines on their lines. Tab indents;
// Escape then Tab leaves the editor (CodeMirror's own escape hatch), which the hint below says.
// CodeMirror adds its styles as style sheets at run time: the console's CSP allows inline styles
// (never inline script), so it needs no nonce.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { xml } from '@codemirror/lang-xml';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { Input } from '@mantine/core';
import { useEffect, useId, useImperativeHandle, useRef, type Ref } from 'react';
import type { MjmlProblem } from '../api';

export interface MjmlEditorHandle {
  /** Puts text at the cursor (replacing a selection) and gives the editor the focus. */
  insert(text: string): void;
}

const theme = EditorView.theme({
  '&': { border: '1px solid var(--mantine-color-gray-4)', borderRadius: '8px', fontSize: '13px', background: '#fff' },
  '&.cm-focused': { outline: '2px solid var(--mantine-color-teal-6)', outlineOffset: '1px' },
  '&[data-invalid="true"]': { borderColor: 'var(--mantine-color-red-6)' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '260px', maxHeight: '560px', overflow: 'auto' },
  '.cm-content': { minHeight: '260px' },
  '.cm-gutters': { borderRadius: '8px 0 0 8px' },
});

export function MjmlEditor({
  value,
  onChange,
  problems,
  label,
  description,
  hint,
  ref,
}: {
  value: string;
  onChange: (value: string) => void;
  /** This version's problems; line 0 (no line known) shows only in the list under the editor. */
  problems: MjmlProblem[];
  label: string;
  description: string;
  hint: string;
  ref?: Ref<MjmlEditorHandle>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  const labelId = useId();
  const descriptionId = useId();
  const hintId = useId();

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          bracketMatching(),
          xml(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          lintGutter(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.lineWrapping,
          theme,
          EditorView.contentAttributes.of({ 'aria-labelledby': labelId, 'aria-describedby': `${descriptionId} ${hintId}`, spellcheck: 'false' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is made once; `value` reaches it through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A value from outside (the campaign loaded, another version's tab): replace the document.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const doc = editor.state.doc;
    const diagnostics: Diagnostic[] = problems
      .filter((p) => p.line > 0)
      .map((p) => {
        const line = doc.line(Math.min(p.line, doc.lines));
        return { from: line.from, to: line.to, severity: 'error', message: p.message };
      });
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
    editor.dom.dataset.invalid = String(problems.length > 0);
  }, [problems]);

  useImperativeHandle(ref, () => ({
    insert(text: string) {
      const editor = view.current;
      if (!editor) return;
      editor.dispatch(editor.state.replaceSelection(text));
      editor.focus();
    },
  }));

  return (
    <Input.Wrapper
      label={label}
      labelProps={{ id: labelId, onClick: () => view.current?.focus() }}
      description={description}
      descriptionProps={{ id: descriptionId }}
      required
    >
      <div ref={host} data-testid="mjml-editor" />
      <Input.Description id={hintId} mt={4}>
        {hint}
      </Input.Description>
    </Input.Wrapper>
  );
}
