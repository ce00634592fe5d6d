/**
 * The two error kinds of text/template: a parse error ("template: NAME:LINE: …") and an execution
 * error ("template: NAME:LINE:COL: executing "NAME" at <NODE>: …"). Messages are Go's, verbatim.
 */

export class TemplateParseError extends Error {
  override name = 'TemplateParseError';
}

export class TemplateExecError extends Error {
  override name = 'TemplateExecError';
}
