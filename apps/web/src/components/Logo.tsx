import { useT } from '../i18n/useT.ts';

/** A four-tile mosaic (a tessera is one tile of a mosaic) and the product name. */
export function LogoMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="2" y="2" width="13" height="13" rx="3" fill="#5b5bd6" />
      <rect x="17" y="2" width="13" height="13" rx="3" fill="#8e8ef0" />
      <rect x="2" y="17" width="13" height="13" rx="3" fill="#b4b4f7" />
      <rect x="17" y="17" width="13" height="13" rx="3" fill="#f5a524" />
    </svg>
  );
}

export function Logo({ size = 28, light = false }: { size?: number; light?: boolean }) {
  const t = useT();
  return (
    <span className={light ? 'logo logo--light' : 'logo'}>
      <LogoMark size={size} />
      <span className="logo__name">{t('app.name')}</span>
    </span>
  );
}
