// Loaded on demand (React.lazy in RevenueView): recharts stays out of the main bundle.
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { RevenuePoint } from '../../lib/moneyViews.ts';

export interface RevenueChartProps {
  points: RevenuePoint[];
  netLabel: string;
  purchasesLabel: string;
  formatNet: (major: number) => string;
}

/** Net revenue in one currency as bars (left axis), purchases of every kind as a line (right). */
export default function RevenueChart({
  points,
  netLabel,
  purchasesLabel,
  formatNet,
}: RevenueChartProps) {
  return (
    <div className="revenue-chart" data-testid="revenue-chart">
      <ResponsiveContainer width="100%" height={300}>
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tickLine={false} minTickGap={16} />
          <YAxis yAxisId="net" tickFormatter={formatNet} width={80} />
          <YAxis yAxisId="purchases" orientation="right" allowDecimals={false} width={40} />
          <Tooltip
            formatter={(value, name) =>
              name === netLabel ? formatNet(Number(value)) : String(value)
            }
          />
          <Legend />
          <Bar
            yAxisId="net"
            dataKey="net"
            name={netLabel}
            fill="#6c5ce7"
            radius={[3, 3, 0, 0]}
            isAnimationActive={false}
          />
          <Line
            yAxisId="purchases"
            dataKey="purchases"
            name={purchasesLabel}
            type="linear"
            stroke="#00b894"
            dot={false}
            strokeWidth={2}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
