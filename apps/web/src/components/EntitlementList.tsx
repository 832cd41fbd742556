import { CheckOutlined, MinusOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useLocale } from '../i18n/useT.ts';
import { summarizeEntitlements } from '../lib/entitlements.ts';
import type { Entitlements } from '../lib/trpc.ts';

/** What a mark grants, one line each: models and plugins as tags, limits in words. */
export function EntitlementList({
  entitlements,
  detailed = false,
}: {
  entitlements: Entitlements;
  detailed?: boolean;
}) {
  const { t, locale } = useLocale();
  const lines = summarizeEntitlements(entitlements, t, locale, { detailed });
  return (
    <ul className="ent-list">
      {lines.map((line) => (
        <li
          key={line.key}
          className={line.granted ? 'ent-list__item' : 'ent-list__item ent-list__item--off'}
          data-testid={`ent-${line.key}`}
        >
          <span className="ent-list__icon" aria-hidden="true">
            {line.granted ? <CheckOutlined /> : <MinusOutlined />}
          </span>
          <span className="ent-list__label">{line.label}</span>
          <span className="ent-list__value">
            {line.tags && line.tags.length > 0
              ? line.tags.map((tag) => (
                  <Tag key={tag} className="ent-list__tag">
                    {tag}
                  </Tag>
                ))
              : line.value}
          </span>
        </li>
      ))}
    </ul>
  );
}
