/** The form's rules, in one place: the action checks every post with them. */

export interface SignupValues {
  name: string;
  email: string;
}

export type SignupErrors = Partial<Record<keyof SignupValues, string>>;

/** Fields as posted: a repeated name is an array and a file an object; only single strings count. */
export function signupValues(form: Readonly<Record<string, unknown>>): SignupValues {
  const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
  return { name: text(form['name']), email: text(form['email']) };
}

export function signupErrors(values: SignupValues): SignupErrors {
  const errors: SignupErrors = {};
  if (values.name === '') errors.name = 'Tell us your name.';
  else if (values.name.length > 40) errors.name = 'Keep your name under 40 characters.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) errors.email = 'That does not look like an email address.';
  return errors;
}
