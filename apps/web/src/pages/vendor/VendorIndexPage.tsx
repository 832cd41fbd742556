import { RightOutlined, ShopOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Row, Skeleton, Tag, Typography } from 'antd';
import { Link, Navigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { trpc } from '../../lib/trpc.ts';
import { vendorPath } from './vendorContext.ts';

/** `/vendor`: straight into the console with one vendor, a picker with several. */
export function VendorIndexPage() {
  const { t, lookup } = useLocale();
  const mine = trpc.vendor.mine.useQuery();
  if (mine.data?.length === 1 && mine.data[0]) {
    return <Navigate to={vendorPath(mine.data[0].id)} replace />;
  }
  return (
    <div data-testid="vendor-index">
      <PageHeader
        title={t('vendorConsole.title')}
        subtitle={mine.data && mine.data.length > 1 ? t('vendorConsole.pickSubtitle') : undefined}
      />
      <QueryError error={mine.error} onRetry={() => void mine.refetch()} />
      {mine.isPending ? (
        <Card variant="borderless">
          <Skeleton active />
        </Card>
      ) : null}
      {mine.data?.length === 0 ? (
        <Card variant="borderless" className="empty-card">
          <Empty
            image={<ShopOutlined className="empty-icon" />}
            description={t('vendorConsole.none')}
          />
        </Card>
      ) : null}
      <Row gutter={[16, 16]}>
        {(mine.data ?? []).map((vendor) => (
          <Col key={vendor.id} xs={24} md={12} xl={8}>
            <Link to={vendorPath(vendor.id)} data-testid="vendor-pick">
              <Card variant="borderless" hoverable className="vendor-pick">
                <ShopOutlined className="vendor-pick__icon" />
                <div className="vendor-pick__text">
                  <Typography.Text strong>{vendor.name}</Typography.Text>
                  <div>
                    <Typography.Text code>{vendor.slug}</Typography.Text>
                    <Tag>
                      {vendor.viaPlatform
                        ? t('vendorConsole.viaPlatform')
                        : (lookup(`roles.${vendor.role}`) ?? vendor.role)}
                    </Tag>
                  </div>
                </div>
                <RightOutlined className="muted" />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </div>
  );
}
