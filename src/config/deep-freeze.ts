// Frozen all the way down: the loaded configuration and the component-config skeletons must
// not be changed by whoever reads them. Objects frozen already are still walked, since a
// frozen parent can hold children that are not.

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
