import type { enVendor } from './en.vendor.ts';

export const zhCNVendor: { readonly [K in keyof typeof enVendor]: string } = {
  'vendorConsole.title': '服务商控制台',
  'vendorConsole.pickSubtitle': '选择要管理的服务商。',
  'vendorConsole.none': '你尚未加入任何服务商。平台管理员可以将你设为服务商的所有者。',
  'vendorConsole.notFound': '服务商不存在',
  'vendorConsole.notFoundDetail': '该服务商不存在，或你不是其成员。',
  'vendorConsole.subtitle': '管理你的会员标识、套餐、订阅者与员工。',
  'vendorConsole.readOnly': '你可以查看，但只有所有者和管理员可以修改。',
  'vendorConsole.marks': '会员标识',
  'vendorConsole.plans': '套餐',
  'vendorConsole.subscribers': '订阅者',
  'vendorConsole.staff': '员工',

  'subscribers.title': '订阅者',
  'subscribers.activeOnly': '仅显示有效',
  'subscribers.empty': '还没有人持有你的会员标识。',
  'subscribers.emptyActive': '目前没有人持有你的会员标识。',
  'subscribers.col.email': '邮箱',
  'subscribers.col.mark': '会员标识',

  'staff.title': '员工',
  'staff.emailPlaceholder': '同事的邮箱地址',
  'staff.add': '添加',
  'staff.added': '已添加 {email}。',
  'staff.role': '角色',
  'staff.roleHint':
    '管理员可管理会员标识和套餐；员工只能查看。再次添加同一人会更改其角色。对方须已注册账户。',
  'staff.empty': '你添加的人员将显示在这里。',
  'staff.readOnly': '只有所有者和管理员可以添加员工。',
};
