import { CheckCircleFilled } from '@ant-design/icons';
import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { Logo } from '../components/Logo.tsx';
import type { PlainMessageKey } from '../i18n/translate.ts';
import { useT } from '../i18n/useT.ts';
import './AuthLayout.css';

const FEATURES: PlainMessageKey[] = [
  'auth.feature.tiers',
  'auth.feature.quota',
  'auth.feature.vendors',
];

const MOSAIC_TILES = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Sign-in and sign-up: a brand panel on wide screens, the form card, a language switch. */
export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  const t = useT();
  return (
    <div className="auth-layout">
      <aside className="auth-layout__brand">
        <Logo size={36} light />
        <div className="auth-layout__pitch">
          <Typography.Title level={2} className="auth-layout__tagline">
            {t('app.tagline')}
          </Typography.Title>
          <ul className="auth-layout__features">
            {FEATURES.map((key) => (
              <li key={key}>
                <CheckCircleFilled />
                <span>{t(key)}</span>
              </li>
            ))}
          </ul>
        </div>
        <div className="auth-layout__mosaic" aria-hidden="true">
          {MOSAIC_TILES.map((tile) => (
            <span key={tile} />
          ))}
        </div>
      </aside>
      <main className="auth-layout__main">
        <div className="auth-layout__top">
          <span className="auth-layout__mobile-logo">
            <Logo />
          </span>
          <LanguageSwitch />
        </div>
        <Card variant="borderless" className="auth-layout__card">
          <Typography.Title level={3} className="auth-layout__title">
            {title}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{subtitle}</Typography.Paragraph>
          {children}
          <div className="auth-layout__footer">{footer}</div>
        </Card>
      </main>
    </div>
  );
}
