/** App paths used in more than one place. */
export const HOME_PATH = '/chat';
export const SIGN_IN_PATH = '/sign-in';
