import { type CSSProperties, useRef } from "react";

import { useWidth } from "../../../hooks/use-width";
import { formatPriceRange } from "../../../lib/format";
import type { EventSection } from "../../../lib/types";

type Props = {
  sections: EventSection[];
  /** The event's (ISO 4217), for the sections' prices. */
  currency: string;
  onChoose: (section: string) => void;
};

/**
 * A big hall's sections drawn where they are (the stage at the top), each a button with its name,
 * price and seats left; choosing one opens its seats. Counts may be a couple of seconds old.
 */
export function SectionOverview({ sections, currency, onChoose }: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const width = useWidth(frame) || 800;
  const hallWidth = Math.max(...sections.map((section) => section.x + section.width), 1);
  const hallHeight = Math.max(...sections.map((section) => section.y + section.height), 1);
  const scale = Math.min(width / hallWidth, 8); // px per seat-width: the whole hall at a glance
  const offset = (width - hallWidth * scale) / 2; // centred under the stage
  return (
    <nav className="section-overview" aria-label="Sections">
      <div className="stage" aria-hidden="true">
        Stage
      </div>
      <div ref={frame} className="section-overview__hall" style={{ height: Math.max(hallHeight * scale, sections.length * 48) }}>
        <ul>
          {sections.map((section) => {
            const soldOut = section.available_seats === 0;
            const box: CSSProperties = {
              left: offset + section.x * scale,
              top: section.y * scale,
              width: Math.max(section.width * scale - 4, 72),
              height: Math.max(section.height * scale - 4, 44),
            };
            return (
              <li key={section.name} style={box}>
                <button
                  type="button"
                  className={`section-box${soldOut ? " section-box--sold-out" : ""}`}
                  onClick={() => onChoose(section.name)}
                >
                  <strong>{section.name}</strong>
                  <span>{formatPriceRange(section, currency)}</span>
                  <span>{soldOut ? "Sold out" : `${section.available_seats} left`}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </nav>
  );
}
