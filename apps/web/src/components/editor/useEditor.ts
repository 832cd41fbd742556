import { App } from 'antd';
import { useCallback, useMemo, useReducer } from 'react';
import { CLOSED, type EditorState, editorReducer } from './editorState.ts';

export interface Editor<Row, Input> extends EditorState<Row> {
  /** Open the drawer on a row, or empty (null) to create one. */
  openFor: (row: Row | null) => void;
  close: () => void;
  /** Save through the caller's `save`; a rejection stays in `error` for the drawer to show. */
  submit: (input: Input) => void;
}

export interface EditorOptions<Row, Input> {
  /** Create (`editing` null) or update; the caller knows the procedure and what to invalidate. */
  save: (input: Input, editing: Row | null) => Promise<unknown>;
  /** Toast texts after a successful create and update. */
  messages: { created: string; saved: string };
}

/**
 * One list's create/edit drawer: which row is open, whether a save is running, and the server's
 * error from the last one. Pair with `ListEditor` (the table) and `EditorDrawer` (the form).
 */
export function useEditor<Row, Input>({
  save,
  messages,
}: EditorOptions<Row, Input>): Editor<Row, Input> {
  const { message } = App.useApp();
  const [state, dispatch] = useReducer(editorReducer<Row>, CLOSED as EditorState<Row>);
  const openFor = useCallback((row: Row | null) => dispatch({ type: 'open', row }), []);
  const close = useCallback(() => dispatch({ type: 'close' }), []);
  const submit = useCallback(
    (input: Input) => {
      dispatch({ type: 'save' });
      save(input, state.editing).then(
        () => {
          void message.success(state.editing ? messages.saved : messages.created);
          dispatch({ type: 'saved' });
        },
        (error: unknown) => dispatch({ type: 'failed', error }),
      );
    },
    [save, state.editing, message, messages.saved, messages.created],
  );
  return useMemo(() => ({ ...state, openFor, close, submit }), [state, openFor, close, submit]);
}
