/**
 * `data-testid` for props objects (antd's `okButtonProps`, `onRow`): TypeScript accepts
 * hyphenated attributes in JSX but not in object literals, so they are spread from here.
 */
export function testId(id: string): object {
  return { 'data-testid': id };
}
