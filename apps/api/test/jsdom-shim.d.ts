/**
 * The few jsdom types the API's tests use to parse the HTML and XML the API serves (jsdom ships no types,
 * and the API's TypeScript has no DOM library).
 */
declare module "jsdom" {
  interface ParsedElement {
    localName: string;
    namespaceURI: string | null;
    textContent: string | null;
    lang: string;
    children: ArrayLike<ParsedElement> & Iterable<ParsedElement>;
    querySelector(selector: string): ParsedElement | null;
    querySelectorAll(selector: string): ArrayLike<ParsedElement> & Iterable<ParsedElement>;
  }
  export class JSDOM {
    constructor(text: string, options?: { contentType?: string });
    window: {
      document: {
        documentElement: ParsedElement;
        querySelector(selector: string): ParsedElement | null;
        querySelectorAll(selector: string): ArrayLike<ParsedElement> & Iterable<ParsedElement>;
      };
    };
  }
}
