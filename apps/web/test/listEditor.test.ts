import { describe, expect, it } from 'vitest';
import { CLOSED, type EditorState, editorReducer } from '../src/components/editor/editorState.ts';
import { catalogOptions } from '../src/lib/catalog.ts';

type Row = { id: string };
const closed = CLOSED as EditorState<Row>;
const row: Row = { id: 'm1' };

describe('the list editor’s drawer state', () => {
  it('opens on a row to edit it, or empty to create one', () => {
    expect(editorReducer(closed, { type: 'open', row })).toEqual({
      open: true,
      editing: row,
      saving: false,
      error: null,
    });
    expect(editorReducer(closed, { type: 'open', row: null }).editing).toBeNull();
  });

  it('keeps the drawer open with the server error when a save is refused', () => {
    const error = new Error('OVER_CEILING');
    let state = editorReducer(closed, { type: 'open', row });
    state = editorReducer(state, { type: 'save' });
    expect(state.saving).toBe(true);
    state = editorReducer(state, { type: 'failed', error });
    expect(state).toMatchObject({ open: true, saving: false, error, editing: row });
  });

  it('clears the last error when saving again or reopening', () => {
    const failed: EditorState<Row> = { open: true, editing: row, saving: false, error: 'x' };
    expect(editorReducer(failed, { type: 'save' }).error).toBeNull();
    const reopened = editorReducer(editorReducer(failed, { type: 'close' }), {
      type: 'open',
      row: null,
    });
    expect(reopened).toEqual({ open: true, editing: null, saving: false, error: null });
  });

  it('closes only on a successful save, keeping the row for the closing title', () => {
    let state = editorReducer(closed, { type: 'open', row });
    state = editorReducer(editorReducer(state, { type: 'save' }), { type: 'saved' });
    expect(state).toMatchObject({ open: false, saving: false, editing: row });
  });

  it('ignores a save while closed (a late click after Cancel)', () => {
    expect(editorReducer(closed, { type: 'save' })).toBe(closed);
  });
});

describe('the entitlement pickers’ catalog', () => {
  const models = [
    { id: 'tessera-mini', displayName: 'Tessera Mini' },
    { id: 'tessera-ultra', displayName: 'Tessera Ultra' },
  ];
  const plugins = [
    { id: 'translate', name: 'Translate' },
    { id: 'web-search', name: 'Web search' },
  ];

  it('offers the whole catalog to the platform', () => {
    const catalog = catalogOptions(models, plugins);
    expect(catalog.models.map((o) => o.value)).toEqual(['tessera-mini', 'tessera-ultra']);
    expect(catalog.models[0]?.label).toBe('Tessera Mini (tessera-mini)');
    expect(catalog.plugins.map((o) => o.value)).toEqual(['translate', 'web-search']);
  });

  it('offers a vendor only what its ceiling delegates', () => {
    const catalog = catalogOptions(models, plugins, {
      models: ['tessera-mini', 'switched-off'],
      plugins: [],
    });
    // A ceiling model the server no longer lists as active is not offered either.
    expect(catalog.models.map((o) => o.value)).toEqual(['tessera-mini']);
    expect(catalog.plugins).toEqual([]);
  });
});
