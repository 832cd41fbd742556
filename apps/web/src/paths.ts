/** App paths used in more than one place. */
export const HOME_PATH = '/chat';
export const SIGN_IN_PATH = '/sign-in';
/** Account, scrolled to two-factor authentication: where the admin rule sends admins to enrol. */
export const TWO_FACTOR_ENROL_PATH = '/account#two-factor';
