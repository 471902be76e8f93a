import { FormField } from "../../../components/form-field";
import { PASSWORD_RULES } from "../password-rules";

type Props = { id: string; name: string; label?: string; problem: string };

/** A password being chosen (registration, reset, change): its rules under it until a problem replaces them. */
export function NewPasswordField({ id, name, label = "New password", problem }: Props) {
  return (
    <FormField
      id={id}
      name={name}
      label={label}
      type="password"
      autoComplete="new-password"
      required
      hint={PASSWORD_RULES}
      problem={problem}
    />
  );
}
