/**
 * A query parameter that failed validation. The message names the parameter and what was expected,
 * never the value the client sent (values can carry tokens or personal data; see STYLE.md "Errors").
 * The API edge turns it into a 400 response.
 *
 * @example
 * throw new InvalidParameterError('limit', 'an integer between 1 and 1500');
 * // message: "invalid parameter 'limit': expected an integer between 1 and 1500"
 */
export class InvalidParameterError extends Error {
  override readonly name = 'InvalidParameterError';
  constructor(
    readonly parameter: string,
    readonly expectation: string,
  ) {
    super(`invalid parameter '${parameter}': expected ${expectation}`);
  }
}
