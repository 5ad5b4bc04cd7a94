// Release metadata: the tags a master carries; each file format maps them to its own fields
// (WAV LIST/INFO and bext, FLAC Vorbis comments, MP3 ID3v2.4). Shared by plans (engine) and writers (io).
/** Tags as a release needs them; each format maps them to its own fields (INFO/bext, Vorbis comments, ID3v2.4). */
export interface AudioMetadata {
  title?: string;
  artist?: string;
  album?: string;
  albumArtist?: string;
  year?: string;
  genre?: string;
  track?: number;
  isrc?: string;
  comment?: string;
  encodedBy?: string;
}
