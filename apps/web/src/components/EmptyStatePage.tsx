import { Card, Empty, Typography } from 'antd';
import type { ReactNode } from 'react';
import { PageHeader } from './PageHeader.tsx';

/** A page whose feature is not built yet: a title and a friendly empty state. */
export function EmptyStatePage({
  title,
  headline,
  detail,
  icon,
  testId,
}: {
  title: string;
  headline: string;
  detail: string;
  icon: ReactNode;
  testId: string;
}) {
  return (
    <div data-testid={testId}>
      <PageHeader title={title} />
      <Card variant="borderless" className="empty-card">
        <Empty
          image={<span className="empty-card__icon">{icon}</span>}
          description={
            <div className="empty-card__text">
              <Typography.Title level={4}>{headline}</Typography.Title>
              <Typography.Text type="secondary">{detail}</Typography.Text>
            </div>
          }
        />
      </Card>
    </div>
  );
}
