/**
 * Placeholder interface, replaced by the projection runner (issue 4). Kept minimal so the HTTP
 * layer can depend on it now.
 */
export interface ProjectionRunner {
  close(): Promise<void>;
}
