import { type KeyboardEvent, useId } from "react";

import { ZoomPane } from "../../../components/zoom-pane";
import { formatPriceRange } from "../../../lib/format";
import type { EventSection, Stage } from "../../../lib/types";
import { isPitch, labelFor, priceColours, rectOf, uprightSpace, viewOf } from "../geometry";

type Props = {
  sections: EventSection[];
  /** The field the sections face (a stage, a screen, a pitch); none: not drawn. */
  stage?: Stage;
  /** The event's (ISO 4217), for the sections' prices. */
  currency: string;
  onChoose: (section: string) => void;
};

/** The drawing's own size, px per seat-width: the first view is no larger (a small hall is not blown
 * up, the whole hall at a glance); zooming in goes up to `MOST_ZOOM` times that. */
const PX_PER_SEAT = 8;
const MOST_ZOOM = 3;
const SOLD_OUT = "#e3e7ec";

function seatsLeft(section: EventSection): string {
  return section.available_seats === 0 ? "Sold out" : `${section.available_seats} left`;
}

/**
 * A big hall drawn as it is, in one SVG in seat-widths: each section where it is, in its shape and
 * turned to face the field, coloured by price (the legend below), sold-out ones hatched, with its
 * name and seats left as far as they fit at the scale it is shown (zooming in shows more). Each
 * section is a button (a focusable SVG group named by its name, price and seats left: Tab, Enter or
 * Space) that opens its seats. It is drawn in a zoom pane whose height follows the drawing's
 * proportions, so its room is known before it is drawn. Counts may be a couple of seconds old.
 */
export function SectionOverview({ sections, stage, currency, onChoose }: Props) {
  const hatch = `${useId()}-sold-out`;
  const view = viewOf(stage ? [...sections, stage] : sections);
  const prices = [...new Set(sections.map((section) => section.min_price).filter((price) => price !== null))];
  const colours = priceColours(prices.map(Number));
  const legend = [...colours].map(([price, colour]) => ({
    colour,
    text: formatPriceRange(
      sections.find((section) => Number(section.min_price) === price) ?? { min_price: null, max_price: null },
      currency,
    ),
  }));
  const shapes = sections.map((section) => {
    const soldOut = section.available_seats === 0;
    const price = formatPriceRange(section, currency);
    return {
      section,
      soldOut,
      price,
      name: [section.name, price, seatsLeft(section)].filter(Boolean).join(", "),
      fill: soldOut ? `url(#${hatch})` : (colours.get(Number(section.min_price)) ?? SOLD_OUT),
    };
  });
  const [width, height] = [view.width * PX_PER_SEAT, view.height * PX_PER_SEAT];
  const box = `${view.x} ${view.y} ${view.width} ${view.height}`;
  const press = (event: KeyboardEvent, name: string) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault(); // Space would scroll the page
    onChoose(name);
  };
  return (
    <nav className="section-overview" aria-label="Sections">
      <div className="section-overview__hall" style={{ maxWidth: width }}>
        <ZoomPane
          width={width}
          height={height}
          maxScale={MOST_ZOOM}
          overview={
            <svg viewBox={box} preserveAspectRatio="none">
              {shapes.map(({ section, fill }) => (
                <rect key={section.name} {...rectOf(section)} fill={fill} />
              ))}
            </svg>
          }
        >
          {(scale) => {
            const px = 1 / (PX_PER_SEAT * scale); // seat-widths per px on screen: labels are sized in px
            return (
              <svg className="section-overview__drawing" viewBox={box}>
                <defs>
                  <pattern id={hatch} width={8 * px} height={8 * px} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect width={8 * px} height={8 * px} fill={SOLD_OUT} />
                    <rect width={3 * px} height={8 * px} fill="#c3cad3" />
                  </pattern>
                </defs>
                {stage && <Field stage={stage} px={px} />}
                {shapes.map(({ section, soldOut, name, fill }) => (
                  <g
                    key={section.name}
                    className={`section-shape${soldOut ? " section-shape--sold-out" : ""}`}
                    role="button"
                    tabIndex={0}
                    aria-label={name}
                    onClick={() => onChoose(section.name)}
                    onKeyDown={(event) => press(event, section.name)}
                  >
                    <rect className="section-shape__box" {...rectOf(section)} fill={fill} />
                    <rect className="section-shape__ring" {...rectOf(section, 2 * px)} />
                  </g>
                ))}
                {/* The labels lie over the shapes as a picture of their names: the buttons are named in
                    full ("Block 101, 85.00, 2500 left") even where only "101" fits, and clicks pass
                    through to the shapes. */}
                <g className="section-overview__labels" aria-hidden="true">
                  {shapes.map(({ section, soldOut, price }) => {
                    const space = uprightSpace(section);
                    const count = soldOut ? "0" : String(section.available_seats);
                    const label = labelFor(section.name, price, seatsLeft(section), count, {
                      width: space.width / px,
                      height: space.height / px,
                    });
                    const size = label.size * px;
                    const centre = { x: section.x + section.width / 2, y: section.y + section.height / 2 };
                    return (
                      <text key={section.name} fontSize={size} textAnchor="middle">
                        {label.lines.map((line, index) => (
                          <tspan
                            key={index}
                            x={centre.x}
                            y={centre.y + (index - (label.lines.length - 1) / 2) * 1.2 * size}
                            dominantBaseline="central"
                            fontWeight={index === 0 ? 700 : undefined}
                          >
                            {line}
                          </tspan>
                        ))}
                      </text>
                    );
                  })}
                </g>
              </svg>
            );
          }}
        </ZoomPane>
      </div>
      <ul className="section-overview__legend" aria-label="Prices">
        {legend.map(({ colour, text }) => (
          <li key={text}>
            <span className="swatch" style={{ background: colour }} aria-hidden="true" />
            {text}
          </li>
        ))}
        <li>
          <span className="swatch swatch--sold-out" aria-hidden="true" />
          Sold out
        </li>
      </ul>
    </nav>
  );
}

/** The field with its label; a pitch is drawn as grass with its halfway line, centre circle and boxes
 * (along its longer side). Only a picture: the sections are what is chosen. */
function Field({ stage, px }: { stage: Stage; px: number }) {
  const { x, y, width, height, label } = stage;
  const centre = { x: x + width / 2, y: y + height / 2 };
  const pitch = isPitch(label);
  const across = width >= height; // the goals at the left and right ends
  const [length, breadth] = across ? [width, height] : [height, width];
  // Markings in the pitch's own frame (goal ends left and right), turned when it lies lengthways.
  const box = (depth: number, wide: number) => [
    { x: 0, y: (breadth - wide) / 2, width: depth, height: wide },
    { x: length - depth, y: (breadth - wide) / 2, width: depth, height: wide },
  ];
  return (
    <g className={`section-overview__field${pitch ? " section-overview__field--pitch" : ""}`} aria-hidden="true">
      <rect x={x} y={y} width={width} height={height} rx={pitch ? 0 : Math.min(height / 8, 4 * px)} />
      {pitch && (
        <g
          className="section-overview__markings"
          transform={across ? `translate(${x} ${y})` : `translate(${x + width} ${y}) rotate(90)`}
        >
          <rect x={length * 0.03} y={breadth * 0.04} width={length * 0.94} height={breadth * 0.92} />
          <line x1={length / 2} y1={breadth * 0.04} x2={length / 2} y2={breadth * 0.96} />
          <circle cx={length / 2} cy={breadth / 2} r={breadth * 0.13} />
          {[...box(length * 0.16, breadth * 0.58), ...box(length * 0.055, breadth * 0.27)].map((area, index) => (
            <rect key={index} {...area} x={area.x === 0 ? length * 0.03 : area.x - length * 0.03} />
          ))}
        </g>
      )}
      <text
        x={centre.x}
        y={pitch ? y + height * 0.04 + 10 * px : centre.y}
        fontSize={Math.min(height * 0.7, 13 * px)}
        textAnchor="middle"
        dominantBaseline={pitch ? "hanging" : "central"}
      >
        {label}
      </text>
    </g>
  );
}
