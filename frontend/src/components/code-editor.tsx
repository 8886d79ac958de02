import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { css } from "@codemirror/lang-css";
import { html } from "@codemirror/lang-html";
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { useEffect, useRef } from "react";

type CodeEditorProps = {
  value: string;
  language: "html" | "css";
  label: string;
  onChange: (value: string) => void;
  /** The editable area's id, for a form label's `for`. */
  id?: string;
  /** Marks the content invalid and points at its error message. */
  invalid?: boolean;
  describedBy?: string;
  /** Wrap long lines (an email body written on one line) instead of scrolling sideways. */
  wrap?: boolean;
  /** Extra classes on the editor's frame (e.g. a taller editor). */
  className?: string;
};

/** A CodeMirror editor for a template's HTML (or MJML) or CSS, with line numbers (errors name the line). */
export function CodeEditor({ value, language, label, onChange, id, invalid, describedBy, wrap, className }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(onChange);
  latest.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          bracketMatching(),
          syntaxHighlighting(defaultHighlightStyle),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          language === "html" ? html() : css(),
          EditorView.contentAttributes.of({ "aria-label": label }),
          ...(wrap ? [EditorView.lineWrapping] : []),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // The editor is created once per language; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [language, label, wrap]);

  useEffect(() => {
    const content = view.current?.contentDOM;
    if (!content) return;
    for (const [name, attribute] of [
      ["id", id],
      ["aria-invalid", invalid ? "true" : undefined],
      ["aria-describedby", describedBy],
    ] as const) {
      if (attribute) content.setAttribute(name, attribute);
      else content.removeAttribute(name);
    }
  }, [id, invalid, describedBy, language, label]);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} className={`crm-code-editor${className ? ` ${className}` : ""}`} />;
}
