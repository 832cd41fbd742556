/**
 * The state of a list's create/edit drawer, as a pure reducer so the rules are tested without a
 * DOM: opening clears the last error; a failed save keeps the drawer open with the server's error
 * (the drawer puts it on the fields); only a successful save closes it.
 */
export interface EditorState<Row> {
  open: boolean;
  /** The row being edited; null while creating. */
  editing: Row | null;
  saving: boolean;
  error: unknown;
}

export type EditorEvent<Row> =
  | { type: 'open'; row: Row | null }
  | { type: 'close' }
  | { type: 'save' }
  | { type: 'saved' }
  | { type: 'failed'; error: unknown };

export const CLOSED: EditorState<never> = {
  open: false,
  editing: null,
  saving: false,
  error: null,
};

export function editorReducer<Row>(
  state: EditorState<Row>,
  event: EditorEvent<Row>,
): EditorState<Row> {
  switch (event.type) {
    case 'open':
      return { open: true, editing: event.row, saving: false, error: null };
    case 'close':
      // Keep `editing` so the drawer's title does not change while it slides out.
      return { ...state, open: false, saving: false };
    case 'save':
      return state.open ? { ...state, saving: true, error: null } : state;
    case 'saved':
      return { ...state, open: false, saving: false };
    case 'failed':
      return { ...state, saving: false, error: event.error };
  }
}
