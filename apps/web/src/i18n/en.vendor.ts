/** English: the vendor console. */
export const enVendor = {
  'vendorConsole.title': 'Vendor console',
  'vendorConsole.pickSubtitle': 'Choose the vendor to work on.',
  'vendorConsole.none':
    'You do not work for a vendor. A platform admin can make you the owner of one.',
  'vendorConsole.notFound': 'No such vendor',
  'vendorConsole.notFoundDetail': 'It does not exist, or you are not a member of it.',
  'vendorConsole.subtitle': 'Your marks, plans, subscribers and staff.',
  'vendorConsole.readOnly': 'You can look, but only owners and admins can change things.',
  'vendorConsole.marks': 'Marks',
  'vendorConsole.plans': 'Plans',
  'vendorConsole.subscribers': 'Subscribers',
  'vendorConsole.staff': 'Staff',

  'subscribers.title': 'Subscribers',
  'subscribers.activeOnly': 'Active only',
  'subscribers.empty': 'Nobody has held your marks yet.',
  'subscribers.emptyActive': 'Nobody holds your marks right now.',
  'subscribers.col.email': 'Email',
  'subscribers.col.mark': 'Mark',

  'staff.title': 'Staff',
  'staff.emailPlaceholder': 'colleague@example.com',
  'staff.add': 'Add',
  'staff.added': '{email} was added.',
  'staff.role': 'Role',
  'staff.roleHint':
    'Admins manage marks and plans; staff can only look. Adding someone again changes their role. They need an account already.',
  'staff.empty': 'People you add appear here.',
  'staff.readOnly': 'Only owners and admins can add staff.',
} as const;
