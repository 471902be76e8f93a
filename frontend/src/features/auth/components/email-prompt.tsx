import type { User } from "../../../lib/types";
import { EmailForm } from "./email-form";

type Props = {
  /** Called with the user once the address is saved (the signed-in user in the cache has it too). */
  onDone?: (user: User) => void;
  /** "Not now": the parent hides the prompt (and puts the focus somewhere sensible). */
  onDismiss: () => void;
};

/**
 * "Where should we send your tickets?": the e-mail form for customers whose account has no
 * address (they get no confirmation, tickets or reset links), to drop in before reserving or
 * beside tickets; it can be put off with "Not now".
 */
export function EmailPrompt({ onDone, onDismiss }: Props) {
  return (
    <EmailForm
      title="Where should we send your tickets?"
      thanks={(email) => `Thank you: we will send your tickets to ${email}.`}
      onDone={onDone}
    >
      <button type="button" onClick={onDismiss}>
        Not now
      </button>
    </EmailForm>
  );
}
