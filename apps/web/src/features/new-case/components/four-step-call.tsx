import { useEffect, useRef } from 'react';
import { Button } from '@/components/ui/button';
import { useFourStepCall } from '../hooks/use-four-step-call';
import { NeedStep } from './need-step';
import { PromiseStep } from './promise-step';
import { TellEngineerStep } from './tell-engineer-step';
import { TrepidationStep } from './trepidation-step';

const STEPS = [
  { title: 'Confirm the need', Body: NeedStep },
  { title: 'Address trepidation', Body: TrepidationStep },
  { title: 'Set the worst-case promise', Body: PromiseStep },
  { title: 'Tell the engineer', Body: TellEngineerStep },
];

/**
 * The four-step call of seed 002 as a stepper; creates the case and tells the engineer at the end.
 * The state lives in useFourStepCall; each step renders one part of it.
 */
export function FourStepCall({ now }: { now?: Date }) {
  const call = useFourStepCall(now);
  const { step, errors, openCase, engineer, promisedAt } = call;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);
  const { Body } = STEPS[step];
  const errorCount = Object.keys(errors).length;
  return (
    <section className="four-step" aria-labelledby="four-step-heading">
      <div className="page-heading">
        <h1 id="four-step-heading">New case: the four-step call</h1>
      </div>
      <ol className="stepper" aria-label="Steps">
        {STEPS.map(({ title }, i) => (
          <li key={title} className={['stepper__step', i === step ? 'is-current' : null, i < step ? 'is-done' : null].filter(Boolean).join(' ')} aria-current={i === step ? 'step' : undefined}>
            <span className="stepper__number" aria-hidden="true">
              {i < step ? '✓' : i + 1}
            </span>
            <span>{title}</span>
          </li>
        ))}
      </ol>
      <form className="panel four-step__panel" onSubmit={call.next} noValidate>
        <h2 ref={headingRef} tabIndex={-1}>
          Step {step + 1} of 4: {STEPS[step].title}
        </h2>
        <p className="muted four-step__required-note">
          Fields marked <span className="field__required">*</span> are required.
        </p>
        {errorCount > 0 ? (
          <p className="sr-only" role="alert">
            Please correct {errorCount} {errorCount === 1 ? 'field' : 'fields'}.
          </p>
        ) : null}
        <Body call={call} />
        <div className="four-step__buttons">
          {step > 0 ? (
            <Button variant="secondary" onClick={call.back} disabled={openCase.isPending}>
              Back
            </Button>
          ) : null}
          <Button type="submit" busy={openCase.isPending} disabled={step === 2 && !promisedAt}>
            {step < 3 ? 'Next' : `Create case and send to ${engineer?.name.split(' ')[0] ?? 'the engineer'}`}
          </Button>
        </div>
      </form>
    </section>
  );
}
