import type { Entry, SearchResult } from 'ldapts';
import type { DirectorySession } from './connection';
import { classifyError, DirectoryError } from './errors';

/** One paged search. */
export interface PagedSearch {
  readonly baseDn: string;
  readonly filter: string;
  readonly attributes: readonly string[];
  readonly binaryAttributes?: readonly string[];
  /** Entries per page (RFC 2696); the server may cap it (AD MaxPageSize 1000). */
  readonly pageSize: number;
  readonly scope?: 'base' | 'one' | 'sub';
}

/**
 * Runs a paged search and hands each page to `onPage`; throws DirectoryError if any page fails.
 *
 * No size limit is sent: a server-side limit then surfaces as sizeLimitExceeded instead of being
 * accepted as a short result (ldapts treats that code as success when the request carried a limit).
 * Continuation references are refused rather than skipped, since skipping would hide entries.
 */
export async function pagedSearch(session: DirectorySession, search: PagedSearch, onPage: (entries: Entry[]) => void): Promise<number> {
  if (!Number.isInteger(search.pageSize) || search.pageSize < 1 || search.pageSize > 100_000)
    throw new DirectoryError({ code: 'bad-option', phase: 'search', message: `page size ${search.pageSize} must be a whole number from 1 to 100000` });
  const context = { ...session.context, baseDn: search.baseDn };
  let total = 0;
  try {
    const pages = session.client.searchPaginated(search.baseDn, {
      scope: search.scope ?? 'sub',
      filter: search.filter,
      attributes: [...search.attributes],
      explicitBufferAttributes: [...(search.binaryAttributes ?? [])],
      paged: { pageSize: search.pageSize },
      sizeLimit: 0,
      timeLimit: 0,
    });
    // The next page is asked for (with this page's cookie: still one request at a time, as RFC 2696 has it) before
    // this one is handed over, so the server prepares it while this one is mapped. Each page is let go before the
    // next is awaited: held across that wait (as a for-await binding is), 1,000 entries' values would survive the
    // scavenges while the next page is parsed, and be copied and promoted for nothing.
    let pending = nextPage(pages);
    for (;;) {
      let page: SearchResult | undefined = await pending;
      if (page === undefined) break;
      if (page.searchReferences.length > 0) {
        throw new DirectoryError({
          code: 'referral',
          phase: 'search',
          message: `the search under "${search.baseDn}" returned a referral to ${page.searchReferences.join(', ')}, which is not followed; the result would be incomplete, so nothing was changed. Narrow the base DN or point the URL at that server`,
        });
      }
      total += page.searchEntries.length;
      pending = nextPage(pages);
      // If onPage throws, the session is closed under that request; the throw is what the caller sees, not this.
      pending.catch(() => undefined);
      onPage(page.searchEntries);
      page = undefined;
    }
  } catch (error) {
    throw new DirectoryError(classifyError(error, 'search', context));
  }
  return total;
}

async function nextPage(pages: AsyncGenerator<SearchResult>): Promise<SearchResult | undefined> {
  const step = await pages.next();
  return step.done === true ? undefined : step.value;
}

/** Reads one entry by DN (scope base); undefined when it does not exist. */
export async function readEntry(session: DirectorySession, dn: string, attributes: readonly string[]): Promise<Entry | undefined> {
  try {
    const { searchEntries } = await session.client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [...attributes] });
    return searchEntries[0];
  } catch (error) {
    const failure = classifyError(error, 'search', { ...session.context, baseDn: dn });
    if (failure.code === 'no-such-object') return undefined;
    throw new DirectoryError(failure);
  }
}
