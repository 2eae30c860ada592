#pragma once
/// Program specific information for the demuxer (ISO/IEC 13818-1 2.4.4): sections gathered
/// from TS packet payloads, and the program association and program map tables.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace stagecast::protocol::mpegts::demux {

/// Reassembles PSI sections of one PID from TS packet payloads (2.4.4.1: pointer_field in
/// packets with payload_unit_start_indicator set; several sections may share a packet and
/// one section may span packets; 0xFF after a section is stuffing).
class DemuxSectionAssembler {
public:
    /// Appends the complete sections (header to CRC_32 inclusive) to `sections`.
    void push(std::span<const std::uint8_t> payload, bool unitStart,
              std::vector<std::vector<std::uint8_t>>& sections);
    /// Drops a partial section (its continuation was lost).
    void reset() {
        buffer_.clear();
        started_ = false;
    }

private:
    void drain(std::vector<std::vector<std::uint8_t>>& sections);

    std::vector<std::uint8_t> buffer_;
    bool started_ = false;
};

/// True when the CRC_32 at the end of `section` checks (annex A: the CRC over the whole
/// section, CRC field included, is 0).
bool sectionCrcOk(std::span<const std::uint8_t> section);

struct PatProgram {
    std::uint16_t programNumber = 0; // 0 = network information table
    std::uint16_t pid = 0;           // program_map_PID (or network_PID)
};

struct Pat {
    std::uint16_t transportStreamId = 0;
    std::uint8_t version = 0;
    bool current = true; // current_next_indicator: 0 = not applicable yet
    std::vector<PatProgram> programs;
};

/// program_association_section, 2.4.4.3. `section` is a whole section with a good CRC (the
/// CRC is checked too). Entries beyond `maxPrograms` are ignored.
base::Result<Pat> parsePat(std::span<const std::uint8_t> section, std::size_t maxPrograms);

struct PmtStream {
    std::uint8_t streamType = 0;
    std::uint16_t pid = 0;
};

struct Pmt {
    std::uint16_t programNumber = 0;
    std::uint8_t version = 0;
    bool current = true;
    std::uint16_t pcrPid = 0;
    std::vector<PmtStream> streams;
};

/// TS_program_map_section, 2.4.4.8 (descriptors are skipped). Entries beyond `maxStreams`
/// are ignored.
base::Result<Pmt> parsePmt(std::span<const std::uint8_t> section, std::size_t maxStreams);

} // namespace stagecast::protocol::mpegts::demux
