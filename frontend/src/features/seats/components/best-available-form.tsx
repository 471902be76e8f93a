import { type FormEvent, useState } from "react";

import type { BestAvailable } from "../api/hold-best";

type Props = {
  sections: string[];
  maxCount: number;
  busy: boolean;
  onFind: (request: BestAvailable) => void;
};

/** "Find N seats together": how many, optionally in which section and up to what price. */
export function BestAvailableForm({ sections, maxCount, busy, onFind }: Props) {
  const [count, setCount] = useState(2);
  const [section, setSection] = useState("");
  const [maxPrice, setMaxPrice] = useState("");

  const shown = Math.min(count, maxCount); // the most you may still take can fall below your choice

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onFind({
      count: shown,
      ...(section ? { section } : {}),
      ...(maxPrice ? { max_price: Number(maxPrice).toFixed(2) } : {}),
    });
  }

  return (
    <form className="best-available" onSubmit={handleSubmit} aria-labelledby="best-available-title">
      <h2 id="best-available-title">Find seats together</h2>
      <label>
        Seats
        <input
          type="number"
          min={1}
          max={maxCount}
          value={shown}
          onChange={(event) => setCount(Number(event.target.value))}
          required
        />
      </label>
      {sections.length > 1 && (
        <label>
          Section
          <select value={section} onChange={(event) => setSection(event.target.value)}>
            <option value="">Any section</option>
            {sections.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Up to (price per seat)
        <input
          type="number"
          min={0}
          step="0.01"
          value={maxPrice}
          placeholder="any"
          onChange={(event) => setMaxPrice(event.target.value)}
        />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? "Finding…" : `Find ${count} together`}
      </button>
    </form>
  );
}
