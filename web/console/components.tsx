/**
 * The console's form parts: a labelled field whose error (the console's own check or the API's
 * field error, in the reader's language) sits next to it and is announced, a problem banner, and
 * a form hook that checks, sends, and keeps what was typed when the API refuses it.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiProblem } from '../shared/api';
import { fieldMessage, problemMessage } from '../shared/problems';
import { useConsole } from './context';
import type { FieldErrors } from './forms';
import type { MessageKey } from './messages';

/** Errors by field path, as sentences in the reader's language. */
export type ShownErrors = Readonly<Record<string, string>>;

/** The id of a field's error element. */
const errorId = (id: string) => `${id}-error`;

/** A labelled control with its hint and error. `children` is the control, which must carry `id`. */
export function Field(props: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      {props.error ? (
        <p class="field-error" id={errorId(props.id)} data-field-error={props.id}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** The ARIA attributes of a control in a {@link Field}. */
export function described(
  id: string,
  error: string | undefined,
  hint = false,
): { 'aria-invalid'?: true | undefined; 'aria-describedby'?: string | undefined } {
  const ids = [hint ? `${id}-hint` : '', error ? errorId(id) : ''].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? true : undefined, 'aria-describedby': ids || undefined };
}

/** A text input bound to a value. */
export function TextInput(props: {
  id: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: boolean;
  type?: 'text' | 'email' | 'number' | 'date' | 'datetime-local';
  min?: string;
  autoComplete?: string;
  required?: boolean;
}) {
  return (
    <input
      id={props.id}
      name={props.id}
      // Preact types each input type's attributes apart; these share every attribute used here.
      type={(props.type ?? 'text') as 'text'}
      value={props.value}
      min={props.min}
      autocomplete={props.autoComplete ?? 'off'}
      required={props.required}
      onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      {...described(props.id, props.error, props.hint)}
    />
  );
}

/** A select of `options` (values with their labels), with an empty "choose" entry unless `noBlank`. */
export function Select(props: {
  id: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
  error?: string | undefined;
  noBlank?: boolean;
  required?: boolean;
}) {
  const { t } = useConsole();
  return (
    <select
      id={props.id}
      name={props.id}
      value={props.value}
      required={props.required}
      onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      {...described(props.id, props.error)}
    >
      {props.noBlank ? null : <option value="">{t('choose')}</option>}
      {props.options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
}

/** A multi-line text bound to a value. */
export function TextArea(props: {
  id: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  rows?: number;
  hint?: boolean;
}) {
  return (
    <textarea
      id={props.id}
      name={props.id}
      rows={props.rows ?? 3}
      value={props.value}
      onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
      {...described(props.id, props.error, props.hint)}
    />
  );
}

/** A banner announced to screen readers: a problem (`alert`) or an outcome (`status`). */
export function Banner(props: { kind: 'error' | 'success' | 'info'; children: ComponentChildren }) {
  return (
    <div
      class={props.kind === 'error' ? 'problem' : `notice ${props.kind}`}
      role={props.kind === 'error' ? 'alert' : 'status'}
    >
      {props.children}
    </div>
  );
}

/** A form's state: errors shown, the API's problem, whether it is being sent, and its last outcome. */
export interface FormState<R> {
  readonly errors: ShownErrors;
  readonly problem: string | undefined;
  readonly busy: boolean;
  readonly result: R | undefined;
  /**
   * Checks with `validate`, then runs `send`. The officer's input is never cleared here: a
   * refusal leaves it as typed, next to the errors. Resolves whether the API accepted it.
   */
  submit(
    validate: () => FieldErrors,
    send: () => Promise<R>,
    extra?: Record<string, string>,
  ): Promise<boolean>;
  reset(): void;
}

/** The form hook: errors are keyed by the API's field paths, so its own errors land on the same fields. */
export function useForm<R>(): FormState<R> {
  const { t, lang } = useConsole();
  const [errors, setErrors] = useState<ShownErrors>({});
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<R | undefined>(undefined);
  return {
    errors,
    problem,
    busy,
    result,
    async submit(validate, send, extra = {}) {
      const local = validate();
      const shown: Record<string, string> = {};
      for (const [field, kind] of Object.entries(local)) {
        if (kind) shown[field] = t(`field.${kind}` as MessageKey, extra);
      }
      setErrors(shown);
      setResult(undefined);
      if (Object.keys(shown).length > 0) {
        setProblem(t('formErrors', { count: Object.keys(shown).length }));
        return false;
      }
      setProblem(undefined);
      setBusy(true);
      try {
        setResult(await send());
        return true;
      } catch (error) {
        if (!(error instanceof ApiProblem)) throw error;
        const fields: Record<string, string> = {};
        for (const e of error.fieldErrors) fields[e.field] = fieldMessage(e, lang);
        setErrors(fields);
        const detail =
          typeof error.extra.detail === 'string' && lang === 'en' ? ` ${error.extra.detail}` : '';
        setProblem(`${problemMessage(error, lang)}${detail}`);
        return false;
      } finally {
        setBusy(false);
      }
    },
    reset() {
      setErrors({});
      setProblem(undefined);
      setResult(undefined);
    },
  };
}

/** Why something could not be loaded, in the reader's language. */
export function LoadProblem(props: { error: unknown }) {
  const { lang } = useConsole();
  const message =
    props.error instanceof ApiProblem
      ? problemMessage(props.error, lang)
      : String((props.error as Error)?.message);
  return <Banner kind="error">{message}</Banner>;
}

/** The problem banner of a form, if any. */
export function FormProblem(props: { problem: string | undefined }) {
  return props.problem ? <Banner kind="error">{props.problem}</Banner> : null;
}

/** Label pairs for a list of values whose labels are messages `prefix.value`. */
export function labelled(
  t: (key: MessageKey) => string,
  prefix: string,
  values: readonly string[],
): [string, string][] {
  return values.map((v) => [v, t(`${prefix}.${v}` as MessageKey)]);
}
