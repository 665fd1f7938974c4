/**
 * `ProfileCatalog`: the lookup of mass and light profiles by lenstronomy `type` used by render
 * specs, `MassModel`/`LightModel` and the strong-lens simulator. It is populated from the
 * registry (`ProfileCatalog.fromRegistry`: every `mass-profile` / `light-profile` component of
 * every loaded plugin). Every function that builds or validates profiles takes the catalog as a
 * required argument (or from its owning object, e.g. `LensPopulation.catalog`); components get it
 * from the injected factory's registry, so a profile added by a plugin is never lost on the way.
 * There is no built-in default catalog: a caller without a registry builds one from a registry
 * holding the lensing plugin (see `testing/lensing-catalog.ts`).
 */
import { closestMatches, ComponentFactory, LensforgeError, Rng, type RegisteredComponent, type Registry } from '../../../core/index.js';
import { BUILTIN_LIGHT_PROFILES, BUILTIN_MASS_PROFILES } from '../components/builtin-profiles.js';
import type { LightProfile } from './light-profile.js';
import type { MassProfile } from './mass-profile.js';
import { describeValue } from './describe-value.js';
import { parseProfileParams } from './profile-params.js';
import {
  LIGHT_PROFILE_KIND, MASS_PROFILE_KIND,
  type LightProfileComponent, type MassProfileComponent, type MassProfileOptions, type ProfileValidation,
} from './profile-component.js';

type AnyProfileComponent = MassProfileComponent | LightProfileComponent;

/** Result of validating one profile's keywords against the catalog. */
export interface CatalogValidation<P> extends ProfileValidation<P> {
  /** The matched type, when it is registered. */
  type?: string;
}

/** Profiles by lenstronomy `type`, one table for lens (mass) and one for light models. */
export class ProfileCatalog {
  private readonly mass = new Map<string, MassProfileComponent>();
  private readonly light = new Map<string, LightProfileComponent>();

  /**
   * @param mass mass-profile components (their `type` must be unique)
   * @param light light-profile components
   * @param names component names for messages (same order: mass then light), optional
   * @throws LensforgeError for a component without `type`/`parameters`/`create`, or two with the same type
   */
  constructor(mass: readonly MassProfileComponent[], light: readonly LightProfileComponent[], names: readonly string[] = []) {
    const all: Array<[Map<string, AnyProfileComponent>, AnyProfileComponent, string]> = [
      ...mass.map((c, i) => [this.mass, c, names[i] ?? c.type] as [Map<string, AnyProfileComponent>, AnyProfileComponent, string]),
      ...light.map((c, i) => [this.light, c, names[mass.length + i] ?? c.type] as [Map<string, AnyProfileComponent>, AnyProfileComponent, string]),
    ];
    const owner = new Map<AnyProfileComponent, string>();
    for (const [table, c, name] of all) {
      const kind = table === this.mass ? MASS_PROFILE_KIND : LIGHT_PROFILE_KIND;
      const p = c?.parameters as { safeParse?: unknown; shape?: unknown } | undefined;
      if (!c || typeof c.type !== 'string' || !c.type || typeof c.create !== 'function' || !p || typeof p.safeParse !== 'function' || typeof p.shape !== 'object') {
        throw new LensforgeError(`${kind} ${name}: expected a component with type (string), parameters (a zod object schema, see profileParameters) and create(params), got ${describeValue(c)}`);
      }
      const prev = table.get(c.type);
      if (prev) throw new LensforgeError(`${kind} type "${c.type}": provided by both ${owner.get(prev)} and ${name}; each lenstronomy type must be registered once`);
      table.set(c.type, c);
      owner.set(c, name);
    }
  }

  /**
   * Builds the catalog from every `mass-profile` and `light-profile` component of `registry`
   * (instances are built through the factory, i.e. with dependency injection).
   * @param registry a registry with the lensing plugin (which declares the two kinds) loaded
   * @param factory builds the instances (default: a factory on `registry` with seed 0; profiles draw no random numbers)
   */
  static fromRegistry(registry: Registry, factory: ComponentFactory = new ComponentFactory(registry, Rng.fromSeed(0))): ProfileCatalog {
    // built-in types first (in their documentation order), then plugin-added ones by name
    const builtinFirst = (order: readonly unknown[]) => (x: RegisteredComponent, y: RegisteredComponent) =>
      rank(order, x.target) - rank(order, y.target);
    const mass = registry.list(MASS_PROFILE_KIND).sort(builtinFirst(BUILTIN_MASS_PROFILES));
    const light = registry.list(LIGHT_PROFILE_KIND).sort(builtinFirst(BUILTIN_LIGHT_PROFILES));
    return new ProfileCatalog(
      mass.map((c) => factory.create<MassProfileComponent>(MASS_PROFILE_KIND, c.name, `profiles.${c.name}`)),
      light.map((c) => factory.create<LightProfileComponent>(LIGHT_PROFILE_KIND, c.name, `profiles.${c.name}`)),
      [...mass, ...light].map((c) => `${c.name} (plugin ${c.plugin})`),
    );
  }

  /** Registered mass-profile types, e.g. `['EPL', 'SIE', 'SIS', 'SHEAR']`. */
  massTypes(): string[] { return [...this.mass.keys()]; }
  /** Registered light-profile types. */
  lightTypes(): string[] { return [...this.light.keys()]; }
  /** The mass-profile component of `type`, if registered. */
  massComponent(type: string): MassProfileComponent | undefined { return this.mass.get(type); }
  /** The light-profile component of `type`, if registered. */
  lightComponent(type: string): LightProfileComponent | undefined { return this.light.get(type); }

  /**
   * Validates mass-profile keywords `{ type, ...params }`; an unknown type lists the registered
   * types and the closest match.
   * @param path message prefix (default `lens`)
   */
  validateMass(kwargs: unknown, path = 'lens'): CatalogValidation<Record<string, number>> {
    return validateWith(this.mass, 'mass', kwargs, path) as CatalogValidation<Record<string, number>>;
  }

  /** Validates light-profile keywords (see {@link validateMass}); path default `source`. */
  validateLight(kwargs: unknown, path = 'source'): CatalogValidation<Record<string, unknown>> {
    return validateWith(this.light, 'light', kwargs, path);
  }

  /**
   * Builds a mass profile of a registered `type` from validated parameters.
   * @throws LensforgeError for an unregistered type, listing the registered ones
   */
  createMass(type: string, params: Record<string, number>, options: MassProfileOptions = {}): MassProfile {
    const c = this.mass.get(type);
    if (!c) throw unknownType('mass', type, this.massTypes());
    return c.create(params, options);
  }

  /**
   * Builds a light profile of a registered `type` from validated parameters.
   * @throws LensforgeError for an unregistered type, listing the registered ones
   */
  createLight(type: string, params: Record<string, unknown>): LightProfile {
    const c = this.light.get(type);
    if (!c) throw unknownType('light', type, this.lightTypes());
    return c.create(params);
  }
}

/** The error of `createMass`/`createLight` for a type the catalog does not hold. */
function unknownType(label: string, type: string, known: string[]): LensforgeError {
  const near = closestMatches(type, known, 1);
  return new LensforgeError(`${label} profile type: expected one of ${known.join(', ')} (the registered ${label}-profile components), got ${describeValue(type)}${near.length ? `; closest match: ${near[0]}` : ''}`);
}

/** Position of `target` in `order`, or after all of them. */
function rank(order: readonly unknown[], target: unknown): number {
  const i = order.indexOf(target);
  return i < 0 ? order.length : i;
}

function validateWith(
  table: ReadonlyMap<string, AnyProfileComponent>, label: string, input: unknown, path: string,
): CatalogValidation<Record<string, unknown>> {
  const allowed = [...table.keys()].join(', ');
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { params: {}, errors: [`${path}: expected an object like { "type": ..., <parameters> }, got ${describeValue(input)}`] };
  }
  const obj = input as Record<string, unknown>;
  const type = obj.type;
  if (type === undefined) return { params: {}, errors: [`${path}.type: missing; expected one of ${allowed}`] };
  const c = typeof type === 'string' ? table.get(type) : undefined;
  if (!c) {
    const near = typeof type === 'string' ? closestMatches(type, [...table.keys()], 1) : [];
    return { params: {}, errors: [`${path}.type: unknown ${label} profile ${describeValue(type)}; expected one of ${allowed}${near.length ? `; closest match: ${near[0]}` : ''}`] };
  }
  const r = c.validate ? c.validate(obj, path) : parseProfileParams(c.parameters, c.type, obj, path);
  return { type: c.type, params: r.params, errors: r.errors };
}
