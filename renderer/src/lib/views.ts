// Which view a location hash names; the views themselves are in the contract (the desktop Help menu lists them too).
import { VIEWS, type ViewId } from '../../../preload/contract/views';

export { VIEWS, type ViewDef, type ViewId } from '../../../preload/contract/views';

export function viewFromHash(hash: string): ViewId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return VIEWS.some((v) => v.id === id) ? (id as ViewId) : null;
}
