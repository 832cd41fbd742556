import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Form,
  type FormRule,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import type { ReactNode } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import { formatCount } from '../../lib/money.ts';
import {
  CREDITS_MAX,
  EVERY_MAX,
  GRADES_MAX,
  MIN_REQUESTS_MAX,
  REFILL_UNITS,
} from '../../lib/refillPolicy.ts';
import { CreditsInput } from '../forms/CreditsInput.tsx';
import { RefillPreviewBox } from './RefillPreviewBox.tsx';

function OptionLabel({ title, hint }: { title: string; hint: string }) {
  return (
    <span className="option-label">
      <span className="option-label__title">{title}</span>
      <span className="option-label__hint">{hint}</span>
    </span>
  );
}

/**
 * The credit refill policy of a mark (form fields under `refill`, see RefillFormValues): a switch
 * (off = no policy), amount, period, strategy (reset / top up to a cap), mode (scheduled / on
 * demand) and activity grades. `preview` shows what the policy would do to current holders; only
 * platform admins may ask, so the vendor console leaves it out.
 */
export function RefillPolicyFields({ preview }: { preview?: { markId: string | null } }) {
  const { t, locale } = useLocale();
  const enabled = Form.useWatch<boolean | undefined>(['refill', 'enabled']) ?? false;
  const strategy = Form.useWatch<string | undefined>(['refill', 'strategy']);
  const whole = (min: number, max: number, required = true): FormRule[] => [
    ...(required ? [{ required: true, message: t('refillPolicy.required') }] : []),
    {
      type: 'integer',
      min,
      max,
      message: t('refillPolicy.wholeNumber', {
        min: formatCount(min, locale),
        max: formatCount(max, locale),
      }),
    },
  ];
  const credits = (testId: string, placeholder?: string): ReactNode => (
    <CreditsInput min={1} max={CREDITS_MAX} placeholder={placeholder} data-testid={testId} />
  );

  return (
    <div className="refill-fields" data-testid="refill-fields">
      <div className="refill-fields__head">
        <div>
          <Typography.Title level={5} className="ent-fields__title">
            {t('refillPolicy.enable')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('refillPolicy.enableHint')}</Typography.Text>
        </div>
        <Form.Item name={['refill', 'enabled']} valuePropName="checked" noStyle>
          <Switch data-testid="refill-enabled" aria-label={t('refillPolicy.enable')} />
        </Form.Item>
      </div>
      {enabled ? (
        <div className="refill-panel">
          <div className="ent-fields__grid">
            <Form.Item
              name={['refill', 'amount']}
              label={t('refillPolicy.amount')}
              rules={whole(1, CREDITS_MAX)}
            >
              {credits('refill-amount')}
            </Form.Item>
            <Form.Item label={t('refillPolicy.every')} required>
              <Space.Compact block>
                <Form.Item name={['refill', 'everyValue']} noStyle rules={whole(1, EVERY_MAX)}>
                  <InputNumber min={1} max={EVERY_MAX} precision={0} data-testid="refill-every" />
                </Form.Item>
                <Form.Item name={['refill', 'everyUnit']} noStyle>
                  <Select
                    className="refill-unit"
                    options={REFILL_UNITS.map((unit) => ({
                      value: unit,
                      label: t(`refillPolicy.unit.${unit}`),
                    }))}
                    data-testid="refill-unit"
                  />
                </Form.Item>
              </Space.Compact>
            </Form.Item>
          </div>
          <Form.Item name={['refill', 'strategy']} label={t('refillPolicy.strategy')}>
            <Radio.Group className="option-group" data-testid="refill-strategy">
              <Radio value="reset">
                <OptionLabel title={t('refillPolicy.reset')} hint={t('refillPolicy.resetHint')} />
              </Radio>
              <Radio value="topup">
                <OptionLabel title={t('refillPolicy.topup')} hint={t('refillPolicy.topupHint')} />
              </Radio>
            </Radio.Group>
          </Form.Item>
          {strategy === 'topup' ? (
            <Form.Item
              name={['refill', 'cap']}
              label={t('refillPolicy.cap')}
              extra={t('refillPolicy.capHint')}
              rules={whole(1, CREDITS_MAX, false)}
            >
              {credits('refill-cap', t('refillPolicy.amount'))}
            </Form.Item>
          ) : null}
          <Form.Item name={['refill', 'mode']} label={t('refillPolicy.mode')}>
            <Radio.Group className="option-group" data-testid="refill-mode">
              <Radio value="scheduled">
                <OptionLabel
                  title={t('refillPolicy.scheduled')}
                  hint={t('refillPolicy.scheduledHint')}
                />
              </Radio>
              <Radio value="on_demand">
                <OptionLabel
                  title={t('refillPolicy.onDemand')}
                  hint={t('refillPolicy.onDemandHint')}
                />
              </Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item label={t('refillPolicy.grades')} extra={t('refillPolicy.gradesHint')}>
            <Form.List name={['refill', 'grades']}>
              {(fields, { add, remove }) => (
                <div className="grade-list">
                  {fields.map((field) => (
                    <div key={field.key} className="grade-row" data-testid="refill-grade">
                      <span className="muted">{t('refillPolicy.gradeFrom')}</span>
                      <Form.Item
                        name={[field.name, 'minRequests7d']}
                        noStyle
                        rules={whole(1, MIN_REQUESTS_MAX)}
                      >
                        <InputNumber
                          min={1}
                          max={MIN_REQUESTS_MAX}
                          precision={0}
                          className="grade-row__min"
                          data-testid="grade-min"
                        />
                      </Form.Item>
                      <span className="muted">{t('refillPolicy.gradeRequests')}</span>
                      <Form.Item
                        name={[field.name, 'amount']}
                        noStyle
                        rules={whole(1, CREDITS_MAX)}
                      >
                        <CreditsInput
                          min={1}
                          max={CREDITS_MAX}
                          className="grade-row__amount"
                          data-testid="grade-amount"
                        />
                      </Form.Item>
                      <Button
                        type="text"
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label={t('refillPolicy.removeGrade')}
                        title={t('refillPolicy.removeGrade')}
                      />
                    </div>
                  ))}
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ minRequests7d: null, amount: null })}
                    disabled={fields.length >= GRADES_MAX}
                    data-testid="refill-add-grade"
                  >
                    {t('refillPolicy.addGrade')}
                  </Button>
                </div>
              )}
            </Form.List>
          </Form.Item>
          {preview ? <RefillPreviewBox markId={preview.markId} /> : null}
        </div>
      ) : null}
    </div>
  );
}
